namespace RemediationWorker.Guards;

internal enum GuardOutcome
{
    Allowed,

    /// <summary>This event does not start a run; the reason is audited as <c>skipped</c>.</summary>
    Skipped,

    /// <summary>No automatic attempt any more: a human has to look (audited as <c>escalated</c>).</summary>
    Escalated,

    /// <summary>Not decidable now (another replica is running this event's run under a live lease): audited as
    /// <c>deferred</c>; the message goes back for redelivery.</summary>
    Deferred,

    /// <summary>The run of this (event, playbook) was claimed by a replica whose lease ran out without an outcome:
    /// take it over (the same run, tracked to its end) instead of starting or skipping. The later guards are asked
    /// only whether they stop a takeover (<see cref="IGuard.EvaluateTakeover"/>).</summary>
    TakeOver,
}
