namespace RemediationWorker.Ledger;

/// <summary>How a run that the ledger let start ended.</summary>
internal enum RunOutcome
{
    /// <summary>Dry-run: planned, nothing started.</summary>
    Planned,
    Succeeded,
    Failed,
    TimedOut,

    /// <summary>The runbook refused (a precondition no longer true) or fixed only part: settled, escalated, and
    /// not a failure of the automation (the breaker does not count it).</summary>
    Refused,
    PartiallyFixed,

    /// <summary>Not started for a reason that passes (the runner deferred it), or handed back unfinished at
    /// shutdown: the claim and the attempt are given back so a redelivery can try again (or take the run over).</summary>
    NotStarted,

    /// <summary>A taken-over run handed back unfinished (shutdown, or its start deferred): the claim stays, its lease
    /// ends now, so the redelivery takes it over again; the attempt stays spent (the original start spent it, and
    /// the new owner has none to give back).</summary>
    HandedBack,
}
