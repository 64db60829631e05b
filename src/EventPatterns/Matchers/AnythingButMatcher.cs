namespace EventPatterns.Matchers;

/// <summary><c>anything-but</c>: a leaf that none of the excluded matchers accepts. Like EventBridge,
/// it needs a leaf to be there; an absent field does not match.</summary>
internal sealed class AnythingButMatcher(IReadOnlyList<ValueMatcher> excluded) : ValueMatcher
{
    // An array, so the hot loop below does not box an enumerator per leaf.
    private readonly ValueMatcher[] _excluded = [.. excluded];

    public override string Key => "!(" + string.Join(",", _excluded.Select(m => m.Key).Order(StringComparer.Ordinal)) + ")";

    public override bool Matches(LeafValue leaf)
    {
        foreach (var matcher in _excluded)
        {
            if (matcher.Matches(leaf))
            {
                return false;
            }
        }

        return true;
    }
}
