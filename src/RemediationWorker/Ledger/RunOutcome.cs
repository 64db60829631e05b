namespace RemediationWorker.Ledger;

/// <summary>How a run that the ledger let start ended.</summary>
internal enum RunOutcome
{
    /// <summary>Dry-run: planned, nothing started.</summary>
    Planned,
    Succeeded,
    Failed,
    TimedOut,

    /// <summary>Not started for a reason that passes (the runner deferred it), or handed back unfinished at
    /// shutdown: the claim and the attempt are given back so a redelivery can try again (or take the run over).</summary>
    NotStarted,
}
