namespace EventPatterns.Matchers;

/// <summary>A test on one event leaf: one entry of a pattern field's value list.</summary>
internal abstract class ValueMatcher
{
    /// <summary>Identity for de-duplication: two matchers with the same key match the same leaves.</summary>
    public abstract string Key { get; }

    public abstract bool Matches(LeafValue leaf);
}
