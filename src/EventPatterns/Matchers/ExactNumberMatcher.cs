using System.Text;

namespace EventPatterns.Matchers;

/// <summary>A number in the value list: equal by value, so 5 matches 5.0 and 5e0.</summary>
internal sealed class ExactNumberMatcher(byte[] canonical) : ValueMatcher
{
    public override string Key => "n:" + Encoding.UTF8.GetString(canonical);

    public override bool Matches(LeafValue leaf) => leaf.Kind == LeafKind.Number && leaf.CanonicalNumber.SequenceEqual(canonical);
}
