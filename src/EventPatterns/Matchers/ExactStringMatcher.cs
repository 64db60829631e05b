using System.Text;

namespace EventPatterns.Matchers;

internal sealed class ExactStringMatcher(string value) : ValueMatcher
{
    private readonly byte[] _utf8 = Encoding.UTF8.GetBytes(value);

    public override string Key => "s:" + value;

    public override bool Matches(LeafValue leaf) => leaf.Kind == LeafKind.String && leaf.Utf8.SequenceEqual(_utf8);
}
