namespace RemediationWorker.Ledger;

/// <summary>How a run that the ledger let start ended.</summary>
internal enum RunOutcome
{
    /// <summary>Dry-run: planned, nothing started.</summary>
    Planned,
    Succeeded,
    Failed,
    TimedOut,
}
