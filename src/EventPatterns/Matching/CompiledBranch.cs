namespace EventPatterns.Matching;

/// <summary>A branch's conditions, in field-name order.</summary>
internal sealed class CompiledBranch(CompiledCondition[] conditions)
{
    public CompiledCondition[] Conditions { get; } = conditions;

    /// <summary>Whether <see cref="ConsistentChoice"/> can decide it: every condition needs a leaf, at most 64.</summary>
    public bool AllNeedALeaf { get; } = conditions.Length <= 64 && conditions.All(c => !c.AllowAbsent);
}
