namespace EventPatterns.Parsing;

/// <summary>One conjunction of fields; a pattern with <c>$or</c> is the OR of several branches.</summary>
internal sealed class PatternBranch(IReadOnlyList<PatternField> fields)
{
    public IReadOnlyList<PatternField> Fields { get; } = fields;
}
