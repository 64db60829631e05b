using System.Text;

namespace EventPatterns.Matchers;

internal sealed class SuffixMatcher(string suffix, bool ignoreCase) : ValueMatcher
{
    private readonly byte[] _utf8 = Encoding.UTF8.GetBytes(suffix);

    public override string Key => (ignoreCase ? "xi:" : "x:") + suffix;

    public override bool Matches(LeafValue leaf) => leaf.Kind == LeafKind.String && (ignoreCase
        ? leaf.Chars.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
        : leaf.Utf8.EndsWith(_utf8));
}
