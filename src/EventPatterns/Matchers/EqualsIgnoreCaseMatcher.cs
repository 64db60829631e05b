namespace EventPatterns.Matchers;

/// <summary>Unicode simple case folding, as Java's <c>equalsIgnoreCase</c> and EventBridge do.</summary>
internal sealed class EqualsIgnoreCaseMatcher(string value) : ValueMatcher
{
    public override string Key => "i:" + value;

    public override bool Matches(LeafValue leaf) => leaf.Kind == LeafKind.String && leaf.Chars.Equals(value, StringComparison.OrdinalIgnoreCase);
}
