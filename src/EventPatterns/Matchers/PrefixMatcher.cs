using System.Text;

namespace EventPatterns.Matchers;

internal sealed class PrefixMatcher(string prefix, bool ignoreCase) : ValueMatcher
{
    private readonly byte[] _utf8 = Encoding.UTF8.GetBytes(prefix);
    private readonly CaseInsensitiveText? _ignoringCase = ignoreCase ? new CaseInsensitiveText(prefix) : null;

    public override string Key => (ignoreCase ? "pi:" : "p:") + prefix;

    public override bool Matches(LeafValue leaf) => leaf.Kind == LeafKind.String
        && (_ignoringCase?.IsPrefixOf(leaf.Utf8) ?? leaf.Utf8.StartsWith(_utf8));
}
