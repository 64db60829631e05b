using System.Text;

namespace EventPatterns.Matchers;

internal sealed class PrefixMatcher(string prefix, bool ignoreCase) : ValueMatcher
{
    private readonly byte[] _utf8 = Encoding.UTF8.GetBytes(prefix);

    public override string Key => (ignoreCase ? "pi:" : "p:") + prefix;

    public override bool Matches(LeafValue leaf) => leaf.Kind == LeafKind.String && (ignoreCase
        ? leaf.Chars.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
        : leaf.Utf8.StartsWith(_utf8));
}
