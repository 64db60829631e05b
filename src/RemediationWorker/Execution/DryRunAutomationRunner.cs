namespace RemediationWorker.Execution;

/// <summary>Dry-run: plans, starts nothing. The processor audits the plan as <c>planned</c>.</summary>
internal sealed class DryRunAutomationRunner : IAutomationRunner
{
    public ValueTask<RunbookStart> StartAsync(RunbookPlan plan, CancellationToken cancellationToken)
        => ValueTask.FromResult(RunbookStart.PlannedOnly);

    public ValueTask<RunbookResult> WaitForCompletionAsync(string executionId, CancellationToken cancellationToken)
        => throw new InvalidOperationException("A dry run has no execution to wait for.");
}
