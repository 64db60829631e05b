using NSubstitute;
using RemediationWorker.Audit;
using RemediationWorker.Execution;
using RemediationWorker.Guards;
using RemediationWorker.Intake;
using RemediationWorker.Tests.TestSupport;

namespace RemediationWorker.Tests.Remediation;

// NSubstitute configures a ValueTask-returning member by calling it: the returned ValueTask is never awaited.
#pragma warning disable CA2012

/// <summary>What the AWS edges ask of the processor: a start deferred for a passing reason goes back to the queue
/// with its claim given back; a run past the playbook's timeout is handed to the runner's deadline rule with the playbook's StopOnTimeout.</summary>
public sealed class AwsEdgeRunTests
{
    private const string ExecutionId = "5f6c1e2a-0b4d-4c8e-9a7f-3d2b1c0e9f88";
    private static readonly DateTimeOffset T0 = WorkerFixture.Start;
    private readonly IAutomationRunner _runner = Substitute.For<IAutomationRunner>();

    [Fact]
    public async Task ProcessAsync_StartDeferred_DeferredForRedeliveryAndTheRedeliveryStarts()
    {
        await using var worker = CreateWorker(stopOnTimeout: true);
        _runner.StartAsync(Arg.Any<RunbookPlan>(), Arg.Any<CancellationToken>())
            .Returns(
                _ => throw new AutomationStartDeferredException("throttled"),
                _ => ValueTask.FromResult(RunbookStart.Started(ExecutionId)));
        _runner.WaitForCompletionAsync(ExecutionId, Arg.Any<CancellationToken>()).Returns(new RunbookResult(RunbookStatus.Succeeded, "Success"));
        var e = TestEvents.RollbackFailed(T0);

        var first = await worker.ProcessAsync(e);
        var verdict = Assert.Single((await worker.ProcessAsync(e)).Verdicts);

        Assert.Equal((EventOutcome.RetryLater, AuditDecision.Deferred, GuardNames.Execution), (first.Outcome, first.Verdicts[0].Decision, first.Verdicts[0].Guard));
        Assert.Equal(T0 + Admission.Recheck, first.RetryAt);
        Assert.Equal(AuditDecision.Succeeded, verdict.Decision);
        Assert.Empty(worker.Audit.Of(AuditDecision.Failed));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ProcessAsync_PastTheTimeout_AsksTheRunnerWhetherThePlaybookAllowsAStop(bool stopOnTimeout)
    {
        await using var worker = CreateWorker(stopOnTimeout);
        _runner.StartAsync(Arg.Any<RunbookPlan>(), Arg.Any<CancellationToken>()).Returns(RunbookStart.Started(ExecutionId));
        _runner.WaitForCompletionAsync(ExecutionId, Arg.Any<CancellationToken>()).Returns(call => NeverCompletes(call.Arg<CancellationToken>()));
        _runner.OnDeadlineAsync(ExecutionId, stopOnTimeout, Arg.Any<CancellationToken>()).Returns(new DeadlineVerdict(false, "stopped"));

        var processing = worker.ProcessAsync(TestEvents.RollbackFailed(T0)).AsTask();
        worker.Time.Advance(TimeSpan.FromMinutes(150));

        var verdict = Assert.Single((await processing).Verdicts);
        Assert.Equal(AuditDecision.TimedOut, verdict.Decision);
        Assert.EndsWith("; stopped", verdict.Reason, StringComparison.Ordinal);
        await _runner.Received(1).OnDeadlineAsync(ExecutionId, stopOnTimeout, Arg.Any<CancellationToken>());
    }

    private static async ValueTask<RunbookResult> NeverCompletes(CancellationToken cancellationToken)
    {
        var never = new TaskCompletionSource<RunbookResult>();
        await using (cancellationToken.Register(() => never.TrySetCanceled(cancellationToken)))
        {
            return await never.Task;
        }
    }

    private WorkerFixture CreateWorker(bool stopOnTimeout)
    {
        var configuration = TestConfiguration.Edited(
            json =>
            {
                var playbook = TestConfiguration.Playbook(json, "stack-rollback-continue");
                playbook["mode"] = "Live";
                playbook["limits"]!["stopOnTimeout"] = stopOnTimeout;
            },
            new Dictionary<string, string?> { ["Execution:Mode"] = "Live" });
        return new WorkerFixture(configuration, _runner);
    }
}
