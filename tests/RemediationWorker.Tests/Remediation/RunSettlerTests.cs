using Microsoft.Extensions.DependencyInjection;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using RemediationWorker.Audit;
using RemediationWorker.Escalation;
using RemediationWorker.Execution;
using RemediationWorker.Guards;
using RemediationWorker.Ledger;
using RemediationWorker.Playbooks;
using RemediationWorker.Remediation;
using RemediationWorker.Tests.TestSupport;

namespace RemediationWorker.Tests.Remediation;

// NSubstitute configures a ValueTask-returning member by calling it: the returned ValueTask is never awaited.
#pragma warning disable CA2012

/// <summary>A run's end, settled alone: which outcomes are escalated and what the ledger is told, in which order.</summary>
public sealed class RunSettlerTests
{
    private const string ExecutionId = "0e5c4b9a-7d11-4f02-8a3e-6c1f2b9d4e70";
    private const string PlaybookId = "stack-rollback-continue";
    private readonly ILedger _ledger = Substitute.For<ILedger>();
    private readonly IEscalationSink _escalations = Substitute.For<IEscalationSink>();
    private readonly List<OutcomeRequest> _outcomes = [];

    public RunSettlerTests() => _ledger.RecordOutcomeAsync(Arg.Do<OutcomeRequest>(_outcomes.Add), Arg.Any<CancellationToken>()).Returns(new OutcomeResult(false, 0, null));

    [Theory]
    [InlineData(nameof(RunbookStatus.Refused))]
    [InlineData(nameof(RunbookStatus.PartiallyFixed))]
    public async Task Settle_RunbookDidNotFix_DecidedEscalatedAndSettledAsNoFailureOfTheAutomation(string name)
    {
        var (status, decision, outcome) = (Enum.Parse<RunbookStatus>(name), Enum.Parse<AuditDecision>(name), Enum.Parse<RunOutcome>(name));
        await using var worker = CreateWorker();

        var verdict = await Settle(worker, new RunbookResult(status, "Failed", "Refused: the stack has no service role"));

        Assert.Equal(decision, verdict.Decision);
        Assert.Equal([decision, AuditDecision.Escalated], worker.Audit.Records.Select(r => r.Decision));
        Assert.Equal(outcome, Assert.Single(_outcomes).Outcome);
        await _escalations.Received(1).EscalateAsync(Arg.Is<EscalationRequest>(r => r.ExecutionIds.SequenceEqual(new[] { ExecutionId })), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Settle_EscalationNotCreated_EventDeferredAndTheRunHandedBackSoTheRedeliveryEscalatesAgain()
    {
        await using var worker = CreateWorker();
        _escalations.EscalateAsync(Arg.Any<EscalationRequest>(), Arg.Any<CancellationToken>()).ThrowsAsync(new InvalidOperationException("OpsItems throttled"));

        var verdict = await Settle(worker, new RunbookResult(RunbookStatus.Refused, "Failed", "Refused: nested stack"));

        Assert.Equal((AuditDecision.Deferred, GuardNames.Escalation), (verdict.Decision, verdict.Guard));
        Assert.Equal([AuditDecision.Refused, AuditDecision.Deferred], worker.Audit.Records.Select(r => r.Decision));
        Assert.Equal(RunOutcome.HandedBack, Assert.Single(_outcomes).Outcome);
    }

    [Fact]
    public async Task Settle_Succeeded_TheDecisionIsFlushedBeforeTheLedgerSettlesTheClaim()
    {
        await using var worker = CreateWorker();
        var flushesWhenSettled = -1;
        _ledger.RecordOutcomeAsync(Arg.Any<OutcomeRequest>(), Arg.Any<CancellationToken>())
            .Returns(_ => { flushesWhenSettled = worker.Audit.FlushedAt.Count; return new OutcomeResult(false, 0, null); });

        var verdict = await Settle(worker, new RunbookResult(RunbookStatus.Succeeded, "Success") { CausedIds = ["RemediationWorker-x-1"] });

        Assert.Equal(AuditDecision.Succeeded, verdict.Decision);
        Assert.True(flushesWhenSettled > 0, "the ledger settled the claim before the decision was flushed");
        await _escalations.DidNotReceiveWithAnyArgs().EscalateAsync(default!, default);
    }

    [Fact]
    public async Task RecordOutcome_BreakerOpened_EscalatedWithTheBreakersReasonAndMarkedInTheLedger()
    {
        await using var worker = CreateWorker();
        var openUntil = WorkerFixture.Start.AddMinutes(30);
        _ledger.RecordOutcomeAsync(Arg.Any<OutcomeRequest>(), Arg.Any<CancellationToken>()).Returns(new OutcomeResult(true, 3, openUntil));

        var verdict = await Settle(worker, new RunbookResult(RunbookStatus.Failed, "Failed", "step failed"));

        Assert.Equal(AuditDecision.Failed, verdict.Decision);
        var escalated = Assert.Single(worker.Audit.Records, r => r.Decision == AuditDecision.Escalated);
        Assert.Equal(GuardNames.Breaker, escalated.Guard);
        Assert.StartsWith($"playbook {PlaybookId} failed 3 runs in a row", escalated.Reason, StringComparison.Ordinal);
        await _ledger.Received(1).MarkBreakerEscalatedAsync(PlaybookId, openUntil, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task RecordOutcome_BreakerOpenedButItsEscalationNotCreated_EventDeferredAndTheEscalationStillOwed()
    {
        await using var worker = CreateWorker();
        _ledger.RecordOutcomeAsync(Arg.Any<OutcomeRequest>(), Arg.Any<CancellationToken>()).Returns(new OutcomeResult(true, 3, WorkerFixture.Start.AddMinutes(30)));
        _escalations.EscalateAsync(Arg.Any<EscalationRequest>(), Arg.Any<CancellationToken>()).ThrowsAsync(new InvalidOperationException("OpsItems throttled"));

        var verdict = await Settle(worker, new RunbookResult(RunbookStatus.Failed, "Failed", "step failed"));

        Assert.Equal((AuditDecision.Deferred, GuardNames.Escalation), (verdict.Decision, verdict.Guard));
        Assert.Equal([AuditDecision.Failed, AuditDecision.Deferred], worker.Audit.Records.Select(r => r.Decision));
        await _ledger.DidNotReceiveWithAnyArgs().MarkBreakerEscalatedAsync(default!, default, default);
    }

    private static ValueTask<EventVerdict> Settle(WorkerFixture worker, RunbookResult result)
    {
        var version = worker.Catalog.Current;
        var playbook = version.Playbooks.Single(p => p.Id == PlaybookId);
        var key = new LedgerKey("event-1", PlaybookId, TestEvents.OrdersStack);
        var plan = new RunbookPlan("event-1", PlaybookId, key.Resource, playbook.Options.Runbook.DocumentName, playbook.Options.Runbook.DocumentVersion, playbook.Options.Runbook.AutomationAssumeRole, new Dictionary<string, string>());
        var run = new AdmittedRun(version, playbook, key, "test-worker:event-1", plan, RunMode.Live, Takeover: false);
        var record = new AuditRecord { Time = worker.Time.GetUtcNow(), WorkerId = "test-worker", Decision = AuditDecision.Started, ConfigHash = version.Hash, Playbook = PlaybookId, Resource = key.Resource, ExecutionId = ExecutionId };
        return worker.Get<RunSettler>().SettleAsync(run, result, escalateTimeout: false, worker.Time.GetUtcNow(), record, CancellationToken.None);
    }

    private WorkerFixture CreateWorker()
    {
        var configuration = TestConfiguration.Edited(
            json => TestConfiguration.Playbook(json, PlaybookId)["mode"] = "Live",
            new Dictionary<string, string?> { ["Execution:Mode"] = "Live" });
        return new WorkerFixture(configuration, Substitute.For<IAutomationRunner>(), edges: services => services.AddSingleton(_escalations).AddSingleton(_ledger));
    }
}
