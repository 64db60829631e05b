using System.Text.Json.Nodes;
using NSubstitute;
using RemediationWorker.Audit;
using RemediationWorker.Execution;
using RemediationWorker.Guards;
using RemediationWorker.Intake;
using RemediationWorker.Ledger;
using RemediationWorker.Tests.TestSupport;

namespace RemediationWorker.Tests.Remediation;

// NSubstitute configures a ValueTask-returning member by calling it: the returned ValueTask is never awaited.
#pragma warning disable CA2012

/// <summary>A redelivered event whose run another replica claimed: deferred while that replica's lease runs, taken
/// over once it ran out without an outcome (the same run, found again by its ClientToken, tracked to its end), a
/// duplicate once settled. The dead replica is played by a start made straight on the ledger.</summary>
public sealed class TakeoverTests
{
    private const string ExecutionId = "5f6c1e2a-0b4d-4c8e-9a7f-3d2b1c0e9f88";
    private const string Playbook = "stack-rollback-continue";
    private const string DeadOwner = "dead-replica:e";
    private static readonly DateTimeOffset T0 = WorkerFixture.Start;

    /// <summary>The rollback playbook's timeout (01:00:00) plus the lease margin.</summary>
    private static readonly DateTimeOffset LeaseEnd = T0.AddHours(1).AddMinutes(1);

    private readonly IAutomationRunner _runner = Substitute.For<IAutomationRunner>();
    private readonly JsonNode _event = TestEvents.RollbackFailed(T0);

    public TakeoverTests()
        => _runner.StartAsync(Arg.Any<RunbookPlan>(), Arg.Any<CancellationToken>()).Returns(RunbookStart.Started(ExecutionId));

    private LedgerKey Key => new((string)_event["id"]!, Playbook, TestEvents.OrdersStack);

    [Fact]
    public async Task ProcessAsync_HolderLeaseStillRuns_DeferredNamingHolderAndLeaseEnd()
    {
        await using var worker = CreateWorker();
        await DieMidRunAsync(worker);
        worker.Time.SetUtcNow(LeaseEnd.AddSeconds(-1));

        var result = await worker.ProcessAsync(_event);

        Assert.Equal(EventOutcome.RetryLater, result.Outcome);
        var verdict = Assert.Single(result.Verdicts);
        Assert.Equal((AuditDecision.Deferred, GuardNames.Duplicate), (verdict.Decision, verdict.Guard));
        Assert.Contains($"claimed by {DeadOwner} until 2026-11-26T09:01:00Z", verdict.Reason, StringComparison.Ordinal);
        await _runner.DidNotReceiveWithAnyArgs().StartAsync(default!, default);
    }

    [Fact]
    public async Task ProcessAsync_HolderLeaseExpired_TakesOverTheSameRunTracksItAndAuditsTheOutcome()
    {
        await using var worker = CreateWorker();
        await DieMidRunAsync(worker);
        worker.Time.SetUtcNow(LeaseEnd);
        _runner.WaitForCompletionAsync(ExecutionId, Arg.Any<CancellationToken>()).Returns(_ =>
        {
            worker.Time.Advance(TimeSpan.FromMinutes(4));
            return new RunbookResult(RunbookStatus.Succeeded, "Success");
        });

        var result = await worker.ProcessAsync(_event);

        Assert.Equal(EventOutcome.Handled, result.Outcome);
        Assert.Equal(AuditDecision.Succeeded, Assert.Single(result.Verdicts).Decision);
        Assert.Equal([AuditDecision.Received, AuditDecision.Matched, AuditDecision.Started, AuditDecision.Succeeded], worker.Audit.Records.Select(r => r.Decision));
        var started = worker.Audit.Records[2];
        Assert.Equal((ExecutionId, "test-worker"), (started.ExecutionId, started.WorkerId));
        Assert.Equal($"took over from {DeadOwner} whose lease expired at 2026-11-26T09:01:00Z", started.Reason);
        Assert.Equal((ExecutionId, "Success"), (worker.Audit.Records[3].ExecutionId, worker.Audit.Records[3].Status));
        await _runner.Received(1).StartAsync(Arg.Is<RunbookPlan>(p => p.EventId == Key.EventId && p.PlaybookId == Playbook), Arg.Any<CancellationToken>());

        var ledger = await worker.Get<ILedger>().ReadAsync(Key, worker.Time.GetUtcNow(), CancellationToken.None);
        Assert.Equal(1, ledger.Attempts.Count); // the dead replica's attempt, not a second one
        Assert.True(ledger.Claim!.IsSettled);
        Assert.Null(ledger.Lease);
    }

    [Fact]
    public async Task ProcessAsync_RedeliveryAfterTheTakeoverFinished_SkippedAsDuplicate()
    {
        await using var worker = CreateWorker();
        await DieMidRunAsync(worker);
        worker.Time.SetUtcNow(LeaseEnd);
        _runner.WaitForCompletionAsync(ExecutionId, Arg.Any<CancellationToken>()).Returns(new RunbookResult(RunbookStatus.Succeeded, "Success"));
        await worker.ProcessAsync(_event);

        var again = Assert.Single((await worker.ProcessAsync(_event)).Verdicts);

        Assert.Equal((AuditDecision.Skipped, GuardNames.Duplicate), (again.Decision, again.Guard));
        await _runner.Received(1).StartAsync(Arg.Any<RunbookPlan>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task ProcessAsync_ShutdownWhileTrackingATakenOverRun_HandsItBackForTheNextTakeoverAtOnce()
    {
        await using var worker = CreateWorker();
        await DieMidRunAsync(worker);
        worker.Time.SetUtcNow(LeaseEnd);
        _runner.WaitForCompletionAsync(ExecutionId, Arg.Any<CancellationToken>()).Returns(
            call => NeverCompletes(call.Arg<CancellationToken>()),
            _ => ValueTask.FromResult(new RunbookResult(RunbookStatus.Succeeded, "Success")));
        using var shutdown = new CancellationTokenSource();
        var processing = worker.Processor.ProcessAsync(TestEvents.Incoming(_event), shutdown.Token).AsTask();
        await shutdown.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => processing);

        var redelivered = Assert.Single((await worker.ProcessAsync(_event)).Verdicts);

        Assert.Equal(AuditDecision.Succeeded, redelivered.Decision);
        Assert.Equal(2, worker.Audit.Records.Count(r => r.Decision == AuditDecision.Started && r.Reason!.StartsWith("took over from ", StringComparison.Ordinal)));
        Assert.Equal(1, (await worker.Get<ILedger>().ReadAsync(Key, worker.Time.GetUtcNow(), CancellationToken.None)).Attempts.Count);
    }

    /// <summary>Another replica claims the event's run at T0 and dies without an outcome.</summary>
    private async Task DieMidRunAsync(WorkerFixture worker)
    {
        var version = worker.Catalog.Current;
        var limits = version.Playbooks.Single(p => p.Id == Playbook).Options.Limits;
        var conflict = await worker.Get<ILedger>().TryStartAsync(
            new StartRequest(Key, DeadOwner, T0, LeaseEnd, T0.AddHours(25), limits, version.Options.Limits),
            CancellationToken.None);
        Assert.Equal(StartConflict.None, conflict);
    }

    private static async ValueTask<RunbookResult> NeverCompletes(CancellationToken cancellationToken)
    {
        var never = new TaskCompletionSource<RunbookResult>();
        await using (cancellationToken.Register(() => never.TrySetCanceled(cancellationToken)))
        {
            return await never.Task;
        }
    }

    private WorkerFixture CreateWorker()
    {
        var configuration = TestConfiguration.Edited(
            json => TestConfiguration.Playbook(json, Playbook)["mode"] = "Live",
            new Dictionary<string, string?> { ["Execution:Mode"] = "Live" });
        return new WorkerFixture(configuration, _runner);
    }
}
