namespace EventPatterns.Matchers;

/// <summary><c>anything-but</c>: a leaf that none of the excluded matchers accepts. Like EventBridge,
/// it needs a leaf to be there; an absent field does not match.</summary>
internal sealed class AnythingButMatcher(IReadOnlyList<ValueMatcher> excluded) : ValueMatcher
{
    public override string Key => "!(" + string.Join(",", excluded.Select(m => m.Key).Order(StringComparer.Ordinal)) + ")";

    public override bool Matches(LeafValue leaf)
    {
        foreach (var matcher in excluded)
        {
            if (matcher.Matches(leaf))
            {
                return false;
            }
        }

        return true;
    }
}
