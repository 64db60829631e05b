namespace EventPatterns.Matching;

/// <summary>A branch's conditions, those that need a leaf first and pure absence checks last.</summary>
internal sealed class CompiledBranch(CompiledCondition[] conditions)
{
    public CompiledCondition[] Conditions { get; } = conditions;
}
