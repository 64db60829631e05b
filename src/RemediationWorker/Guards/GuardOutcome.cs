namespace RemediationWorker.Guards;

internal enum GuardOutcome
{
    Allowed,

    /// <summary>This event does not start a run; the reason is audited as <c>skipped</c>.</summary>
    Skipped,

    /// <summary>No automatic attempt any more: a human has to look (audited as <c>escalated</c>).</summary>
    Escalated,
}
