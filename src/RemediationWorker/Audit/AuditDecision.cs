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

    /// <summary>The intent, durable before <c>StartAutomationExecution</c> is called: playbook, resource, rendered
    /// parameters and client token (docs/audit-log.md, "Audit before act").</summary>
    Starting,
    Started,
    Succeeded,
    Failed,
    TimedOut,

    /// <summary>The runbook refused to act: a precondition was no longer true (its failure message carries
    /// <c>Refused:</c>). Escalated; not a failure of the automation (the breaker does not count it).</summary>
    Refused,

    /// <summary>The runbook fixed part of the fault and drift remains (<c>PartiallyFixed:</c>). Escalated; not a
    /// failure of the automation.</summary>
    PartiallyFixed,
    Escalated,

    /// <summary>Not decided now (a guard that passes with time, or the ledger unavailable): nothing was started and
    /// the event is kept for its redelivery (<c>retryAt</c>), which gets the final decision.</summary>
    Deferred,

    /// <summary>A configuration version was validated and took effect.</summary>
    ConfigLoaded,

    /// <summary>A configuration edit failed validation and was refused; the last good version keeps running.</summary>
    ConfigRejected,

    /// <summary>The worker started: its image tag and the configuration version it starts with. With
    /// <see cref="WorkerStopped"/>, a gap between a worker's records is explained, or visibly not.</summary>
    WorkerStarted,

    /// <summary>The worker is stopping: its last record before the audit file is anchored and closed.</summary>
    WorkerStopped,
}
