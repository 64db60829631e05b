namespace EventPatterns.Matching;

/// <summary>A branch's conditions, in field-name order.</summary>
internal sealed class CompiledBranch(CompiledCondition[] conditions)
{
    public CompiledCondition[] Conditions { get; } = conditions;

    /// <summary>Whether <see cref="ConsistentChoice"/> can decide it (few enough conditions).</summary>
    public bool OnePassDecides { get; } = ConsistentChoice.CanDecide(conditions);
}
