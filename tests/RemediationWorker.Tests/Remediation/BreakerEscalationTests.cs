using Microsoft.Extensions.DependencyInjection;
using NSubstitute;
using RemediationWorker.Audit;
using RemediationWorker.Escalation;
using RemediationWorker.Execution;
using RemediationWorker.Guards;
using RemediationWorker.Tests.TestSupport;

namespace RemediationWorker.Tests.Remediation;

// NSubstitute configures a ValueTask-returning member by calling it: the returned ValueTask is never awaited.
#pragma warning disable CA2012

/// <summary>The escalation of an opened breaker is never lost: when its OpsItem cannot be created the event is
/// kept, and its redelivery (or any later event of the playbook) finds the escalation owed in the ledger.</summary>
public sealed class BreakerEscalationTests
{
    private const string ExecutionId = "9a1e7c44-2b3d-4e5f-8a6b-7c8d9e0f1a2b";
    private readonly IAutomationRunner _runner = Substitute.For<IAutomationRunner>();
    private readonly IEscalationSink _escalations = Substitute.For<IEscalationSink>();

    [Fact]
    public async Task BreakerOpened_EscalationFailsOnce_TheRedeliveryEscalatesItAndLaterEventsDoNotAgain()
    {
        await using var worker = CreateWorker();
        _escalations.EscalateAsync(Arg.Any<EscalationRequest>(), Arg.Any<CancellationToken>())
            .Returns(_ => throw new InvalidOperationException("OpsItems throttled"), _ => new ValueTask<string?>("oi-1"));
        var failing = TestEvents.RollbackFailed(WorkerFixture.Start, TestEvents.StackArn("a"), id: "e-a");

        var first = Assert.Single((await worker.ProcessAsync(failing)).Verdicts);
        worker.Time.Advance(TimeSpan.FromMinutes(1));
        var redelivered = Assert.Single((await worker.ProcessAsync(failing)).Verdicts);
        var later = Assert.Single((await worker.ProcessAsync(TestEvents.RollbackFailed(WorkerFixture.Start, TestEvents.StackArn("b"), id: "e-b"))).Verdicts);

        Assert.Equal((AuditDecision.Deferred, GuardNames.Escalation), (first.Decision, first.Guard));
        Assert.Equal((AuditDecision.Skipped, GuardNames.Duplicate), (redelivered.Decision, redelivered.Guard));
        Assert.Equal((AuditDecision.Deferred, GuardNames.Breaker), (later.Decision, later.Guard));
        var escalated = Assert.Single(worker.Audit.Records, r => r.Decision == AuditDecision.Escalated);
        Assert.Equal(("e-a", GuardNames.Breaker), (escalated.EventId, escalated.Guard));
        await _escalations.ReceivedWithAnyArgs(2).EscalateAsync(default!, default);
    }

    private WorkerFixture CreateWorker()
    {
        _runner.StartAsync(Arg.Any<RunbookPlan>(), Arg.Any<CancellationToken>()).Returns(RunbookStart.Started(ExecutionId));
        _runner.WaitForCompletionAsync(ExecutionId, Arg.Any<CancellationToken>()).Returns(new RunbookResult(RunbookStatus.Failed, "Failed", "step ContinueRollback failed"));
        var configuration = TestConfiguration.Edited(
            json =>
            {
                TestConfiguration.Playbook(json, "stack-rollback-continue")["mode"] = "Live";
                json["Remediation"]!["breaker"]!["failureThreshold"] = 1;
            },
            new Dictionary<string, string?> { ["Execution:Mode"] = "Live" });
        return new WorkerFixture(configuration, _runner, edges: services => services.AddSingleton(_escalations));
    }
}
