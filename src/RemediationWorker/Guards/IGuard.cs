namespace RemediationWorker.Guards;

/// <summary>One check before a run starts. Guards run in <see cref="Order"/> (the design's order); the first
/// that does not allow the run decides, and its <see cref="Name"/> goes into the audit record.</summary>
internal interface IGuard
{
    int Order { get; }

    string Name { get; }

    GuardVerdict Evaluate(GuardContext context);

    /// <summary>Asked instead of <see cref="Evaluate"/> by the guards after the one that decided to take over a dead
    /// replica's run (<see cref="GuardOutcome.TakeOver"/>). That run was admitted when it started, so a guard allows
    /// it unless it stops even runs already admitted.</summary>
    GuardVerdict EvaluateTakeover(GuardContext context) => GuardVerdict.Allowed;
}
