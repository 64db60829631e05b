using System.Text;

namespace EventPatterns.Matchers;

/// <summary>Text compared ignoring case the way EventBridge (event-ruler) does it: each character of
/// the pattern stands for its lower case or its upper case (Java's <c>Locale.ROOT</c> mappings, where
/// <c>ß</c> upper-cases to <c>SS</c> and <c>İ</c> lower-cases to <c>i̇</c>), and the event's bytes must
/// spell one of the two for every character in turn. The event itself is not folded: a pattern
/// <c>σ</c> accepts <c>σ</c> and <c>Σ</c> but not the final form <c>ς</c>.</summary>
internal sealed class CaseInsensitiveText
{
    // For each pattern character (a surrogate pair counts as one), its one or two UTF-8 spellings.
    private readonly byte[][][] _units;

    public CaseInsensitiveText(string text)
    {
        var units = new List<byte[][]>();
        for (var i = 0; i < text.Length; i++)
        {
            var unit = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])
                ? text.Substring(i++, 2)
                : text[i].ToString();
            var lower = Encoding.UTF8.GetBytes(Lower(unit));
            var upper = Encoding.UTF8.GetBytes(Upper(unit));
            units.Add(lower.AsSpan().SequenceEqual(upper) ? [lower] : [lower, upper]);
        }

        _units = [.. units];
    }

    public bool Equals(ReadOnlySpan<byte> value) => MatchFrom(value, 0, whole: true);

    public bool IsPrefixOf(ReadOnlySpan<byte> value) => MatchFrom(value, 0, whole: false);

    public bool IsSuffixOf(ReadOnlySpan<byte> value) => MatchBackFrom(value, _units.Length - 1);

    private bool MatchFrom(ReadOnlySpan<byte> value, int unit, bool whole)
    {
        if (unit == _units.Length)
        {
            return !whole || value.IsEmpty;
        }

        foreach (var spelling in _units[unit])
        {
            if (value.StartsWith(spelling) && MatchFrom(value[spelling.Length..], unit + 1, whole))
            {
                return true;
            }
        }

        return false;
    }

    private bool MatchBackFrom(ReadOnlySpan<byte> value, int unit)
    {
        if (unit < 0)
        {
            return true;
        }

        foreach (var spelling in _units[unit])
        {
            if (value.EndsWith(spelling) && MatchBackFrom(value[..^spelling.Length], unit - 1))
            {
                return true;
            }
        }

        return false;
    }

    private static string Lower(string unit) => unit == "\u0130" ? "i\u0307" : unit.ToLowerInvariant();

    private static string Upper(string unit)
        => unit.Length == 1 && FullUpperCase.Mappings.TryGetValue(unit[0], out var full) ? full : unit.ToUpperInvariant();
}
