namespace EventPatterns.Matchers;

/// <summary><c>true</c>, <c>false</c> or <c>null</c> in the value list.</summary>
internal sealed class LiteralMatcher(LeafKind kind) : ValueMatcher
{
    public override string Key => "l:" + kind;

    public override bool Matches(LeafValue leaf) => leaf.Kind == kind;
}
