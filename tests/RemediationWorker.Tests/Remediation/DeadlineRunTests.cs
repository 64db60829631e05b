using Microsoft.Extensions.DependencyInjection;
using NSubstitute;
using RemediationWorker.Audit;
using RemediationWorker.Escalation;
using RemediationWorker.Execution;
using RemediationWorker.Remediation;
using RemediationWorker.Tests.TestSupport;

namespace RemediationWorker.Tests.Remediation;

// NSubstitute configures a ValueTask-returning member by calling it: the returned ValueTask is never awaited.
#pragma warning disable CA2012

/// <summary>A run whose playbook deadline passes while it is still inside its runbook's own waits is escalated,
/// not stopped; the runner decides which (Execution/DeadlineTests).</summary>
public sealed class DeadlineRunTests
{
    private const string ExecutionId = "5f6c1e2a-0b4d-4c8e-9a7f-3d2b1c0e9f88";
    private readonly IAutomationRunner _runner = Substitute.For<IAutomationRunner>();
    private readonly IEscalationSink _escalations = Substitute.For<IEscalationSink>();

    [Fact]
    public async Task ProcessAsync_DeadlineInsideTheRunbooksWait_TimedOutAndEscalatedWithTheExecution()
    {
        await using var worker = CreateWorker(new DeadlineVerdict(Escalate: true, "step WaitForRollbackToEnd is still inside the runbook's own wait"));

        var verdict = await RunPastTheDeadlineAsync(worker);

        Assert.Equal(AuditDecision.TimedOut, verdict.Decision);
        Assert.Contains("step WaitForRollbackToEnd is still inside the runbook's own wait", verdict.Reason, StringComparison.Ordinal);
        await _escalations.Received(1).EscalateAsync(
            Arg.Is<EscalationRequest>(r => r.Reason.Contains(verdict.Reason!, StringComparison.Ordinal) && r.ExecutionIds.SequenceEqual(new[] { ExecutionId })),
            Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task ProcessAsync_DeadlinePastTheRunbooksWaits_TimedOutWithoutEscalation()
    {
        await using var worker = CreateWorker(new DeadlineVerdict(Escalate: false, "stopped"));

        var verdict = await RunPastTheDeadlineAsync(worker);

        Assert.Equal(AuditDecision.TimedOut, verdict.Decision);
        await _escalations.DidNotReceiveWithAnyArgs().EscalateAsync(default!, default);
    }

    private static async Task<EventVerdict> RunPastTheDeadlineAsync(WorkerFixture worker)
    {
        var processing = worker.ProcessAsync(TestEvents.RollbackFailed(WorkerFixture.Start)).AsTask();
        worker.Time.Advance(TimeSpan.FromMinutes(150)); // the rollback playbook's timeout
        return Assert.Single((await processing).Verdicts);
    }

    private WorkerFixture CreateWorker(DeadlineVerdict atDeadline)
    {
        _runner.StartAsync(Arg.Any<RunbookPlan>(), Arg.Any<CancellationToken>()).Returns(RunbookStart.Started(ExecutionId));
        _runner.WaitForCompletionAsync(ExecutionId, Arg.Any<CancellationToken>()).Returns(call => NeverCompletes(call.Arg<CancellationToken>()));
        _runner.OnDeadlineAsync(ExecutionId, Arg.Any<bool>(), Arg.Any<CancellationToken>()).Returns(atDeadline);
        var configuration = TestConfiguration.Edited(
            json => TestConfiguration.Playbook(json, "stack-rollback-continue")["mode"] = "Live",
            new Dictionary<string, string?> { ["Execution:Mode"] = "Live" });
        return new WorkerFixture(configuration, _runner, edges: services => services.AddSingleton(_escalations));
    }

    private static async ValueTask<RunbookResult> NeverCompletes(CancellationToken cancellationToken)
    {
        var never = new TaskCompletionSource<RunbookResult>();
        await using (cancellationToken.Register(() => never.TrySetCanceled(cancellationToken)))
        {
            return await never.Task;
        }
    }
}
