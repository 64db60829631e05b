namespace RemediationWorker.Execution;

/// <summary>How a runbook execution ended.</summary>
internal enum RunbookStatus
{
    Succeeded,
    Failed,
    TimedOut,

    /// <summary>Failed with <c>Refused:</c> in its failure message: the runbook would not act (docs/playbooks.md).</summary>
    Refused,

    /// <summary>Failed with <c>PartiallyFixed:</c> in its failure message: drift remains.</summary>
    PartiallyFixed,
}
