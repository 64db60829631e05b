namespace RemediationWorker.Guards;

internal enum GuardOutcome
{
    Allowed,

    /// <summary>This event does not start a run; the reason is audited as <c>skipped</c>.</summary>
    Skipped,

    /// <summary>No automatic attempt any more: a human has to look (audited as <c>escalated</c>).</summary>
    Escalated,

    /// <summary>Not now, but later: a limit or state that passes with time (a lease, the rate, the in-flight limit,
    /// an open breaker, the kill switch, another replica's run in progress). Audited as <c>deferred</c> with
    /// <c>retryAt</c>; the event is kept and comes back then (docs/ledger.md, "Deferrals").</summary>
    Deferred,

    /// <summary>The run of this (event, playbook) was claimed by a replica whose lease ran out without an outcome:
    /// take it over (the same run, tracked to its end) instead of starting or skipping. The later guards are asked
    /// only whether they stop a takeover (<see cref="IGuard.EvaluateTakeover"/>).</summary>
    TakeOver,
}
