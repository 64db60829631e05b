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

    // When every character of the text is ASCII, its two spellings byte by byte: a byte of the event either is one
    // of them or the value does not match (an event's non-ASCII character never spells an ASCII one).
    private readonly byte[]? _asciiLower;
    private readonly byte[]? _asciiUpper;

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
        if (units.TrueForAll(spellings => Array.TrueForAll(spellings, spelling => spelling is [< 0x80])))
        {
            _asciiLower = [.. units.Select(spellings => spellings[0][0])];
            _asciiUpper = [.. units.Select(spellings => spellings[^1][0])];
        }
    }

    public bool Equals(ReadOnlySpan<byte> value) => _asciiLower is { } lower
        ? value.Length == lower.Length && AsciiSpells(value)
        : MatchFrom(value, 0, whole: true);

    public bool IsPrefixOf(ReadOnlySpan<byte> value) => _asciiLower is { } lower
        ? value.Length >= lower.Length && AsciiSpells(value[..lower.Length])
        : MatchFrom(value, 0, whole: false);

    public bool IsSuffixOf(ReadOnlySpan<byte> value) => _asciiLower is { } lower
        ? value.Length >= lower.Length && AsciiSpells(value[^lower.Length..])
        : MatchBackFrom(value, _units.Length - 1);

    /// <summary>Whether <paramref name="value"/>, as long as the ASCII text, spells it byte for byte.</summary>
    private bool AsciiSpells(ReadOnlySpan<byte> value)
    {
        var (lower, upper) = (_asciiLower!, _asciiUpper!);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != lower[i] && value[i] != upper[i])
            {
                return false;
            }
        }

        return true;
    }

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
