namespace RemediationWorker.Execution;

/// <summary>How a runbook execution ended.</summary>
internal enum RunbookStatus
{
    Succeeded,
    Failed,
    TimedOut,
}
