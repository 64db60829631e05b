namespace RemediationWorker.Execution;

/// <summary>Starts and tracks runbooks (the SSM Automation runner comes with the AWS adapters). Test seam.</summary>
internal interface IAutomationRunner
{
    /// <summary>Starts the runbook; idempotent for the same plan (the ClientToken is derived from it).</summary>
    ValueTask<RunbookStart> StartAsync(RunbookPlan plan, CancellationToken cancellationToken);

    /// <summary>Waits until the execution reaches a terminal status. The caller cancels at the playbook's
    /// timeout and records <c>timed-out</c>.</summary>
    ValueTask<RunbookResult> WaitForCompletionAsync(string executionId, CancellationToken cancellationToken);

    /// <summary>Deals with a run that outlived the playbook's timeout: never stops one still inside its runbook's own
    /// waits (that is escalated instead); otherwise stops it when <paramref name="stopAllowed"/> (the playbook's
    /// StopOnTimeout). A runner that cannot stop anything leaves it.</summary>
    ValueTask<DeadlineVerdict> OnDeadlineAsync(string executionId, bool stopAllowed, CancellationToken cancellationToken)
        => ValueTask.FromResult(new DeadlineVerdict(Escalate: false, "left running"));
}
