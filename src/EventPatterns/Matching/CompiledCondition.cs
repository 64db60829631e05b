namespace EventPatterns.Matching;

/// <summary>One field of one branch: a leaf at <see cref="FieldId"/> whose bit set meets
/// <see cref="Mask"/>, or (when <see cref="AllowAbsent"/>) no consistent leaf at all.</summary>
internal sealed class CompiledCondition(int fieldId, ulong[] mask, bool allowAbsent)
{
    public int FieldId { get; } = fieldId;

    public ulong[] Mask { get; } = mask;

    public bool AllowAbsent { get; } = allowAbsent;

    public bool HasMatchers { get; } = mask.Any(w => w != 0);
}
