using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using NSubstitute;
using RemediationWorker.Audit;
using RemediationWorker.Diagnostics;
using RemediationWorker.Execution;
using RemediationWorker.Guards;
using RemediationWorker.Intake;
using RemediationWorker.Ledger;
using RemediationWorker.Tests.TestSupport;
using MetricRecorder = RemediationWorker.Testing.MetricRecorder;

namespace RemediationWorker.Tests.Remediation;

// NSubstitute configures a ValueTask-returning member by calling it: the returned ValueTask is never awaited.
#pragma warning disable CA2012

/// <summary>A redelivered event whose run another replica claimed: deferred while that replica's lease runs, taken
/// over once it ran out without an outcome (the same run, found again by its ClientToken, tracked to its end), a
/// duplicate once settled; deferred while the kill switch is on. The dead replica is played by a start made straight
/// on the ledger.</summary>
public sealed class TakeoverTests
{
    private const string ExecutionId = "5f6c1e2a-0b4d-4c8e-9a7f-3d2b1c0e9f88";
    private const string Playbook = "stack-rollback-continue";
    private const string DeadOwner = "dead-replica:e";
    private const string OtherExecutionId = "0b8e4f2c-7d1a-4e6b-9c3f-5a2d8e1b7c44";
    private static readonly DateTimeOffset T0 = WorkerFixture.Start;

    /// <summary>The rollback playbook's timeout.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(150);

    /// <summary>The dead replica's lease: the timeout plus the default lease margin (Ledger:LeaseMargin).</summary>
    private static readonly DateTimeOffset LeaseEnd = T0 + Timeout + TimeSpan.FromMinutes(1);

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
        Assert.Contains($"claimed by {DeadOwner} until 2026-11-26T10:31:00Z", verdict.Reason, StringComparison.Ordinal);
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
        Assert.Equal([AuditDecision.Received, AuditDecision.Matched, AuditDecision.Starting, AuditDecision.Started, AuditDecision.Succeeded], worker.Audit.Records.Select(r => r.Decision));
        var started = worker.Audit.Records[3];
        Assert.Equal((ExecutionId, "test-worker"), (started.ExecutionId, started.WorkerId));
        Assert.Equal($"took over from {DeadOwner} whose lease expired at 2026-11-26T10:31:00Z", started.Reason);
        Assert.Equal((ExecutionId, "Success"), (worker.Audit.Records[4].ExecutionId, worker.Audit.Records[4].Status));
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

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ProcessAsync_HolderLeaseExpiredKillSwitchOn_DeferredByTheKillSwitchLedgerUntouched(bool dryRunOnly)
    {
        await using var worker = CreateWorker(Configuration(killSwitch: true), dryRunOnly);
        await DieMidRunAsync(worker);
        worker.Time.SetUtcNow(LeaseEnd);
        var before = await ReadAsync(worker);

        var result = await worker.ProcessAsync(_event);

        Assert.Equal(EventOutcome.RetryLater, result.Outcome);
        var verdict = Assert.Single(result.Verdicts);
        Assert.Equal((AuditDecision.Deferred, GuardNames.KillSwitch), (verdict.Decision, verdict.Guard));
        Assert.Equal(
            $"the run of {DeadOwner} whose lease expired at 2026-11-26T10:31:00Z is not taken over while the kill switch (Remediation:KillSwitch) is on; the event waits for redelivery",
            verdict.Reason);
        Assert.Equal([AuditDecision.Received, AuditDecision.Matched, AuditDecision.Deferred], worker.Audit.Records.Select(r => r.Decision));
        Assert.Equal(before, await ReadAsync(worker)); // the claim and the lease are still the dead replica's
        await _runner.DidNotReceiveWithAnyArgs().StartAsync(default!, default);
    }

    [Fact]
    public async Task ProcessAsync_KillSwitchTurnedOffAfterADeferredTakeover_TheNextRedeliveryTakesOver()
    {
        var configuration = Configuration(killSwitch: true);
        await using var worker = CreateWorker(configuration);
        await DieMidRunAsync(worker);
        worker.Time.SetUtcNow(LeaseEnd);
        _runner.WaitForCompletionAsync(ExecutionId, Arg.Any<CancellationToken>()).Returns(new RunbookResult(RunbookStatus.Succeeded, "Success"));
        Assert.Equal(AuditDecision.Deferred, Assert.Single((await worker.ProcessAsync(_event)).Verdicts).Decision);

        configuration["Remediation:KillSwitch"] = "false";
        await worker.Catalog.ReloadAsync(CancellationToken.None);
        worker.Time.Advance(TimeSpan.FromMinutes(5));
        var redelivered = await worker.ProcessAsync(_event);

        Assert.Equal(EventOutcome.Handled, redelivered.Outcome);
        Assert.Equal(AuditDecision.Succeeded, Assert.Single(redelivered.Verdicts).Decision);
        var started = Assert.Single(worker.Audit.Of(AuditDecision.Started));
        Assert.Equal($"took over from {DeadOwner} whose lease expired at 2026-11-26T10:31:00Z", started.Reason);
        await _runner.Received(1).StartAsync(Arg.Any<RunbookPlan>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task ProcessAsync_TakesOverTheTrialOfAHalfOpenBreaker_OtherStartsWaitUntilItsOutcome()
    {
        await using var worker = CreateWorker();
        var halfOpen = await OpenTheBreakerAsync(worker); // 3 failures at T0: open until T0 + 30 min
        var deadLeaseEnd = halfOpen + Timeout + TimeSpan.FromMinutes(1);
        await DieMidRunAsync(worker, halfOpen, deadLeaseEnd); // the trial's replica dies
        worker.Time.SetUtcNow(deadLeaseEnd);
        var finish = new TaskCompletionSource<RunbookResult>();
        _runner.WaitForCompletionAsync(ExecutionId, Arg.Any<CancellationToken>()).Returns(_ => new ValueTask<RunbookResult>(finish.Task));
        _runner.StartAsync(Arg.Is<RunbookPlan>(p => p.EventId != Key.EventId), Arg.Any<CancellationToken>()).Returns(RunbookStart.Started(OtherExecutionId));
        _runner.WaitForCompletionAsync(OtherExecutionId, Arg.Any<CancellationToken>()).Returns(new RunbookResult(RunbookStatus.Succeeded, "Success"));

        var trial = worker.ProcessAsync(_event).AsTask(); // taken over, tracking
        var waiting = Assert.Single((await worker.ProcessAsync(TestEvents.RollbackFailed(deadLeaseEnd, TestEvents.StackArn("other")))).Verdicts);
        finish.SetResult(new RunbookResult(RunbookStatus.Succeeded, "Success"));
        await trial;
        var afterTrial = Assert.Single((await worker.ProcessAsync(TestEvents.RollbackFailed(deadLeaseEnd, TestEvents.StackArn("after")))).Verdicts);

        Assert.Single(worker.Audit.Of(AuditDecision.Started), r => r.Reason?.StartsWith("took over from ", StringComparison.Ordinal) == true);
        Assert.Equal((AuditDecision.Deferred, GuardNames.Breaker), (waiting.Decision, waiting.Guard));
        Assert.Contains("half-open and its trial run has not finished", waiting.Reason, StringComparison.Ordinal);
        Assert.Equal(AuditDecision.Succeeded, afterTrial.Decision); // the trial succeeded: the breaker is closed
    }

    [Fact]
    public async Task ProcessAsync_HolderLeaseExpired_CountedAsTakenOverNotAsStarted()
    {
        await using var worker = CreateWorker();
        using var recorder = new MetricRecorder(worker.Get<WorkerMetrics>().Meter);
        await DieMidRunAsync(worker);
        worker.Time.SetUtcNow(LeaseEnd);
        _runner.WaitForCompletionAsync(ExecutionId, Arg.Any<CancellationToken>()).Returns(new RunbookResult(RunbookStatus.Succeeded, "Success"));

        await worker.ProcessAsync(_event);
        await worker.ProcessAsync(TestEvents.RollbackFailed(LeaseEnd, TestEvents.StackArn("fresh")));

        Assert.Equal(1, recorder.Sum("remediation.runs.taken_over", ("playbook", Playbook)));
        Assert.Equal(1, recorder.Sum("remediation.runs.started", ("playbook", Playbook), ("mode", "Live"))); // the fresh event's only
        Assert.Equal(2, recorder.Sum("remediation.runs.outcomes", ("playbook", Playbook), ("outcome", "succeeded")));
    }

    [Fact]
    public async Task ProcessAsync_LeaseMarginConfigured_TheTakenOverRunsLeaseIsTheTimeoutPlusTheMargin()
    {
        await using var worker = CreateWorker(Configuration(leaseMargin: "00:00:05"));
        await DieMidRunAsync(worker);
        worker.Time.SetUtcNow(LeaseEnd);
        LedgerSnapshot? during = null;
        async ValueTask<RunbookResult> ReadWhileTracking()
        {
            during = await ReadAsync(worker);
            return new RunbookResult(RunbookStatus.Succeeded, "Success");
        }

        _runner.WaitForCompletionAsync(ExecutionId, Arg.Any<CancellationToken>()).Returns(_ => ReadWhileTracking());

        await worker.ProcessAsync(_event);

        var until = LeaseEnd + Timeout + TimeSpan.FromSeconds(5);
        Assert.Equal(new ClaimState("test-worker:" + Key.EventId, until), during!.Claim);
        Assert.Equal(new LeaseState("test-worker:" + Key.EventId, until), during.Lease);
    }

    /// <summary>Another replica claims the event's run at T0 and dies without an outcome.</summary>
    private Task DieMidRunAsync(WorkerFixture worker) => DieMidRunAsync(worker, T0, LeaseEnd);

    /// <summary>Another replica claims the event's run at <paramref name="at"/> and dies without an outcome.</summary>
    private async Task DieMidRunAsync(WorkerFixture worker, DateTimeOffset at, DateTimeOffset leaseEnd)
    {
        var version = worker.Catalog.Current;
        var limits = version.Playbooks.Single(p => p.Id == Playbook).Options.Limits;
        var conflict = await worker.Get<ILedger>().TryStartAsync(
            new StartRequest(Key, DeadOwner, at, leaseEnd, at.AddHours(25), limits, version.Options.Limits),
            CancellationToken.None);
        Assert.Equal(StartConflict.None, conflict);
    }

    /// <summary>Runs on other stacks fail the playbook's breaker threshold (3) at T0; returns when it turns half-open.</summary>
    private static async Task<DateTimeOffset> OpenTheBreakerAsync(WorkerFixture worker)
    {
        var version = worker.Catalog.Current;
        var limits = version.Playbooks.Single(p => p.Id == Playbook).Options.Limits;
        var ledger = worker.Get<ILedger>();
        OutcomeResult outcome = new(false, 0, null);
        for (var i = 0; i < version.Options.Breaker.FailureThreshold; i++)
        {
            var key = new LedgerKey($"failed-{i}", Playbook, TestEvents.StackArn($"failed-{i}"));
            Assert.Equal(StartConflict.None, await ledger.TryStartAsync(new StartRequest(key, $"owner-{i}", T0, LeaseEnd, T0.AddHours(25), limits, version.Options.Limits), CancellationToken.None));
            outcome = await ledger.RecordOutcomeAsync(new OutcomeRequest(key, $"owner-{i}", T0, RunOutcome.Failed, version.Options.Breaker), CancellationToken.None);
        }

        Assert.True(outcome.BreakerOpened);
        return outcome.OpenUntil!.Value;
    }

    private ValueTask<LedgerSnapshot> ReadAsync(WorkerFixture worker) => worker.Get<ILedger>().ReadAsync(Key, worker.Time.GetUtcNow(), CancellationToken.None);

    private static async ValueTask<RunbookResult> NeverCompletes(CancellationToken cancellationToken)
    {
        var never = new TaskCompletionSource<RunbookResult>();
        await using (cancellationToken.Register(() => never.TrySetCanceled(cancellationToken)))
        {
            return await never.Task;
        }
    }

    private WorkerFixture CreateWorker(IConfigurationRoot? configuration = null, bool dryRunOnly = false)
        => new(configuration ?? Configuration(), _runner, dryRunOnly);

    /// <summary>The shipped configuration with the rollback playbook Live.</summary>
    private static IConfigurationRoot Configuration(bool killSwitch = false, string? leaseMargin = null)
    {
        var settings = new Dictionary<string, string?> { ["Execution:Mode"] = "Live", ["Remediation:KillSwitch"] = killSwitch ? "true" : "false" };
        if (leaseMargin is not null)
        {
            settings["Ledger:LeaseMargin"] = leaseMargin;
        }

        return TestConfiguration.Edited(json => TestConfiguration.Playbook(json, Playbook)["mode"] = "Live", settings);
    }
}
