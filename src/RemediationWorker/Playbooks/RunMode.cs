namespace RemediationWorker.Playbooks;

/// <summary>Whether a remediation only plans the runbook or really starts it.</summary>
internal enum RunMode
{
    /// <summary>Plan only: the exact document and rendered parameters are audited, nothing is started.</summary>
    DryRun,

    /// <summary>Start the runbook. Needs <c>Execution:Mode=Live</c> as well.</summary>
    Live,
}
