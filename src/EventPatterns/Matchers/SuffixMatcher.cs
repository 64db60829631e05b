using System.Text;

namespace EventPatterns.Matchers;

internal sealed class SuffixMatcher(string suffix, bool ignoreCase) : ValueMatcher
{
    private readonly byte[] _utf8 = Encoding.UTF8.GetBytes(suffix);
    private readonly CaseInsensitiveText? _ignoringCase = ignoreCase ? new CaseInsensitiveText(suffix) : null;

    public override string Key => (ignoreCase ? "xi:" : "x:") + suffix;

    public override bool Matches(LeafValue leaf) => leaf.Kind == LeafKind.String
        && (_ignoringCase?.IsSuffixOf(leaf.Utf8) ?? leaf.Utf8.EndsWith(_utf8));
}
