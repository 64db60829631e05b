namespace RemediationWorker.Intake;

/// <summary>What the intake does with an event after processing.</summary>
internal enum EventOutcome
{
    /// <summary>Every decision is audited and flushed: delete the message.</summary>
    Handled,

    /// <summary>A transient failure (ledger, audit sink): leave it for redelivery.</summary>
    RetryLater,

    /// <summary>Not a valid event: audited as <c>rejected</c>; dead-letter it.</summary>
    Rejected,
}
