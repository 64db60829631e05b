namespace RemediationWorker.Guards;

/// <summary>One check before a run starts. Guards run in <see cref="Order"/> (the design's order); the first
/// that does not allow the run decides, and its <see cref="Name"/> goes into the audit record.</summary>
internal interface IGuard
{
    int Order { get; }

    string Name { get; }

    GuardVerdict Evaluate(GuardContext context);
}
