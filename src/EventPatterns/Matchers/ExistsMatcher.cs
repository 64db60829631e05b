namespace EventPatterns.Matchers;

/// <summary><c>exists: true</c>: any leaf at the path, null included.</summary>
internal sealed class ExistsMatcher : ValueMatcher
{
    public static ExistsMatcher Instance { get; } = new();

    public override string Key => "e";

    public override bool Matches(LeafValue leaf) => true;
}
