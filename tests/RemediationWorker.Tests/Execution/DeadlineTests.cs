using Amazon.SimpleSystemsManagement.Model;
using NSubstitute;
using RemediationWorker.Execution;

namespace RemediationWorker.Tests.Execution;

/// <summary>At a playbook's deadline the runner never stops an execution still inside its runbook's own waits:
/// that is escalated; otherwise it stops it only when the playbook says so.</summary>
public sealed class DeadlineTests : IDisposable
{
    private readonly ExecutionTestHost _host = new();

    private DateTime Now => _host.Time.GetUtcNow().UtcDateTime;

    [Fact]
    public async Task OnDeadlineAsync_StepInsideItsOwnLimit_EscalatesWithoutStopping()
    {
        // WaitForRollbackToEnd: 3600 s, begun 50 minutes ago.
        Execution(Step("WaitForRollbackToEnd", "InProgress", Now.AddMinutes(-50), timeoutSeconds: 3600));

        var verdict = await _host.Runner.OnDeadlineAsync(ExecutionTestHost.ExecutionId, stopAllowed: true, CancellationToken.None);

        Assert.True(verdict.Escalate);
        Assert.Contains("step WaitForRollbackToEnd is still inside the runbook's own wait (its limit ends 2026-11-27T05:10:00Z)", verdict.Reason, StringComparison.Ordinal);
        await _host.Ssm.DidNotReceiveWithAnyArgs().StopAutomationExecutionAsync(default!, default);
    }

    [Fact]
    public async Task OnDeadlineAsync_RetriesExtendTheStepsLimit_StillEscalates()
    {
        // 600 s × 3 attempts, begun 20 minutes ago: SSM gives the step 30 minutes.
        Execution(Step("ContinueRollback", "InProgress", Now.AddMinutes(-20), timeoutSeconds: 600, maxAttempts: 3));

        var verdict = await _host.Runner.OnDeadlineAsync(ExecutionTestHost.ExecutionId, stopAllowed: true, CancellationToken.None);

        Assert.True(verdict.Escalate);
        await _host.Ssm.DidNotReceiveWithAnyArgs().StopAutomationExecutionAsync(default!, default);
    }

    [Theory]
    [InlineData(true, "stopped", 1)]
    [InlineData(false, "left running", 0)]
    public async Task OnDeadlineAsync_StepPastItsOwnLimit_StopsOnlyWhenAllowed(bool stopAllowed, string reason, int stops)
    {
        Execution(
            Step("CheckStack", "Success", Now.AddHours(-3), timeoutSeconds: 60),
            Step("WaitForRollbackToEnd", "InProgress", Now.AddMinutes(-61), timeoutSeconds: 3600));

        var verdict = await _host.Runner.OnDeadlineAsync(ExecutionTestHost.ExecutionId, stopAllowed, CancellationToken.None);

        Assert.Equal(new DeadlineVerdict(false, reason), verdict);
        await _host.Ssm.Received(stops).StopAutomationExecutionAsync(Arg.Is<StopAutomationExecutionRequest>(r => r.AutomationExecutionId == ExecutionTestHost.ExecutionId), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task OnDeadlineAsync_StateUnreadable_EscalatesWithoutStopping()
    {
        _host.Ssm.GetAutomationExecutionAsync(Arg.Any<GetAutomationExecutionRequest>(), Arg.Any<CancellationToken>())
            .Returns(Task.FromException<GetAutomationExecutionResponse>(new AutomationExecutionNotFoundException("gone")));

        var verdict = await _host.Runner.OnDeadlineAsync(ExecutionTestHost.ExecutionId, stopAllowed: true, CancellationToken.None);

        Assert.True(verdict.Escalate);
        Assert.Contains("could not be read (AutomationExecutionNotFoundException)", verdict.Reason, StringComparison.Ordinal);
        await _host.Ssm.DidNotReceiveWithAnyArgs().StopAutomationExecutionAsync(default!, default);
    }

    [Fact]
    public void Current_StepWithoutAReportedLimit_CountsAsInsideItsWait()
    {
        var execution = new AutomationExecution { StepExecutions = [new StepExecution { StepName = "Wait", StepStatus = "Waiting" }] };

        Assert.Equal(("Wait", DateTimeOffset.MaxValue), RunbookWaits.Current(execution, _host.Time.GetUtcNow()));
    }

    [Fact]
    public void Current_OnlyEndedOrPendingSteps_IsNone()
    {
        var execution = new AutomationExecution
        {
            StepExecutions =
            [
                Step("CheckStack", "Success", Now.AddMinutes(-5), timeoutSeconds: 60),
                new StepExecution { StepName = "ContinueRollback", StepStatus = "Pending" },
            ],
        };

        Assert.Null(RunbookWaits.Current(execution, _host.Time.GetUtcNow()));
    }

    public void Dispose() => _host.Dispose();

    private void Execution(params StepExecution[] steps) =>
        _host.Ssm.GetAutomationExecutionAsync(Arg.Any<GetAutomationExecutionRequest>(), Arg.Any<CancellationToken>())
            .Returns(new GetAutomationExecutionResponse
            {
                AutomationExecution = new AutomationExecution { AutomationExecutionStatus = "InProgress", StepExecutions = [.. steps] },
            });

    private static StepExecution Step(string name, string status, DateTime started, long timeoutSeconds, int? maxAttempts = null) =>
        new() { StepName = name, StepStatus = status, ExecutionStartTime = started, TimeoutSeconds = timeoutSeconds, MaxAttempts = maxAttempts };
}
