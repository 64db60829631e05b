namespace RemediationWorker.Audit;

/// <summary>The decisions an audit record can carry, written in kebab case (<see cref="AuditDecisions"/>).</summary>
internal enum AuditDecision
{
    Received,
    Rejected,
    NoMatch,
    Matched,
    Skipped,
    Planned,
    Started,
    Succeeded,
    Failed,
    TimedOut,
    Escalated,

    /// <summary>Not decided now (the ledger was unavailable): nothing was started and the event waits for its
    /// redelivery, which gets the final decision.</summary>
    Deferred,

    /// <summary>A configuration version was validated and took effect.</summary>
    ConfigLoaded,

    /// <summary>A configuration edit failed validation and was refused; the last good version keeps running.</summary>
    ConfigRejected,
}
