using System.Text;

namespace EventPatterns.Matchers;

/// <summary><c>wildcard</c>: <c>*</c> stands for any run of characters (<c>\*</c> for a literal star,
/// <c>\\</c> for a backslash). With stars only, matching the literal pieces left to right at their
/// first occurrence is exact, so no backtracking is needed.</summary>
internal sealed class WildcardMatcher : ValueMatcher
{
    private readonly byte[][] _pieces;
    private readonly bool _anchoredStart;
    private readonly bool _anchoredEnd;

    public WildcardMatcher(string pattern, IReadOnlyList<string> pieces, bool anchoredStart, bool anchoredEnd)
    {
        Pattern = pattern;
        _pieces = pieces.Select(p => Encoding.UTF8.GetBytes(p)).ToArray();
        _anchoredStart = anchoredStart;
        _anchoredEnd = anchoredEnd;
    }

    public string Pattern { get; }

    public override string Key => "w:" + Pattern;

    public override bool Matches(LeafValue leaf) => leaf.Kind == LeafKind.String && Matches(leaf.Utf8);

    public bool Matches(ReadOnlySpan<byte> text)
    {
        if (_pieces.Length == 1 && _anchoredStart && _anchoredEnd)
        {
            return text.SequenceEqual(_pieces[0]);
        }

        var first = 0;
        var last = _pieces.Length - 1;
        if (_anchoredStart)
        {
            if (!text.StartsWith(_pieces[0]))
            {
                return false;
            }

            text = text[_pieces[0].Length..];
            first = 1;
        }

        if (_anchoredEnd && last >= first)
        {
            if (!text.EndsWith(_pieces[last]))
            {
                return false;
            }

            text = text[..^_pieces[last].Length];
            last--;
        }

        for (var i = first; i <= last; i++)
        {
            var at = text.IndexOf(_pieces[i]);
            if (at < 0)
            {
                return false;
            }

            text = text[(at + _pieces[i].Length)..];
        }

        return true;
    }
}
