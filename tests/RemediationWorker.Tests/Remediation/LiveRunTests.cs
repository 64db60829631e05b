using Microsoft.Extensions.DependencyInjection;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using RemediationWorker.Audit;
using RemediationWorker.Execution;
using RemediationWorker.Guards;
using RemediationWorker.Ledger;
using RemediationWorker.Playbooks;
using RemediationWorker.Remediation;
using RemediationWorker.Tests.TestSupport;

namespace RemediationWorker.Tests.Remediation;

// NSubstitute configures a ValueTask-returning member by calling it: the returned ValueTask is never awaited.
#pragma warning disable CA2012

/// <summary>Live mode with a substitute runner: started, tracked, outcome; the lease, in-flight and breaker
/// guards, which only bite while runs are in flight or failing.</summary>
public sealed class LiveRunTests
{
    private const string ExecutionId = "5f6c1e2a-0b4d-4c8e-9a7f-3d2b1c0e9f88";
    private static readonly DateTimeOffset T0 = WorkerFixture.Start;
    private readonly IAutomationRunner _runner = Substitute.For<IAutomationRunner>();

    public LiveRunTests()
        => _runner.StartAsync(Arg.Any<RunbookPlan>(), Arg.Any<CancellationToken>()).Returns(RunbookStart.Started(ExecutionId));

    [Fact]
    public async Task ProcessAsync_LiveRunSucceeds_StartedThenSucceededWithDuration()
    {
        await using var worker = CreateWorker();
        _runner.WaitForCompletionAsync(ExecutionId, Arg.Any<CancellationToken>()).Returns(_ =>
        {
            worker.Time.Advance(TimeSpan.FromMinutes(7));
            return new RunbookResult(RunbookStatus.Succeeded, "Success");
        });

        var verdict = Assert.Single((await worker.ProcessAsync(TestEvents.RollbackFailed(T0))).Verdicts);

        Assert.Equal(AuditDecision.Succeeded, verdict.Decision);
        Assert.Equal([AuditDecision.Received, AuditDecision.Matched, AuditDecision.Starting, AuditDecision.Started, AuditDecision.Succeeded], worker.Audit.Records.Select(r => r.Decision));
        var starting = worker.Audit.Records[2];
        Assert.Equal((null, "Live", ClientTokens.For(starting.EventId!, starting.Playbook!)), (starting.ExecutionId, starting.Mode, starting.ClientToken));
        Assert.Equal(TestEvents.OrdersStack, starting.Parameters!["StackName"]);
        var started = worker.Audit.Records[3];
        Assert.Equal((ExecutionId, "Live", T0), (started.ExecutionId, started.Mode, started.Time));
        var succeeded = worker.Audit.Records[4];
        Assert.Equal(("Success", TimeSpan.FromMinutes(7), ExecutionId), (succeeded.Status, succeeded.Duration, succeeded.ExecutionId));
        await _runner.Received(1).StartAsync(
            Arg.Is<RunbookPlan>(p => p.DocumentName == "RemediationWorker-ContinueUpdateRollback" && p.Parameters["StackName"] == TestEvents.OrdersStack),
            Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task ProcessAsync_LiveRunSucceeds_TheOutcomeIsFlushedToTheAuditBeforeTheLedgerSettlesTheClaim()
    {
        var ledger = Substitute.For<ILedger>();
        ledger.ReadAsync(default!, default, default).ReturnsForAnyArgs(new LedgerSnapshot(null, null, AttemptState.None, 0, 0, BreakerState.Closed));
        ledger.TryStartAsync(default!, default).ReturnsForAnyArgs(StartConflict.None);
        await using var worker = CreateWorker(edges: services => services.AddSingleton(ledger));
        var flushedWhenSettled = -1;
        ledger.RecordOutcomeAsync(default!, default).ReturnsForAnyArgs(_ =>
        {
            flushedWhenSettled = worker.Audit.FlushedAt.LastOrDefault();
            return default(OutcomeResult);
        });
        _runner.WaitForCompletionAsync(ExecutionId, Arg.Any<CancellationToken>()).Returns(new RunbookResult(RunbookStatus.Succeeded, "Success"));

        await worker.ProcessAsync(TestEvents.RollbackFailed(T0));

        var succeeded = worker.Audit.Records.Select(r => r.Decision).ToList().IndexOf(AuditDecision.Succeeded);
        Assert.True(flushedWhenSettled > succeeded, $"the audit was flushed up to record {flushedWhenSettled} when the ledger settled the claim; succeeded is record {succeeded + 1}");
    }

    [Fact]
    public async Task ProcessAsync_NoTerminalStatusWithinTimeout_TimedOut()
    {
        await using var worker = CreateWorker();
        _runner.WaitForCompletionAsync(ExecutionId, Arg.Any<CancellationToken>()).Returns(call => NeverCompletes(call.Arg<CancellationToken>()));

        var processing = worker.ProcessAsync(TestEvents.RollbackFailed(T0)).AsTask();
        worker.Time.Advance(TimeSpan.FromMinutes(150) - TimeSpan.FromTicks(1));
        Assert.False(processing.IsCompleted);
        worker.Time.Advance(TimeSpan.FromTicks(1)); // the playbook timeout, 02:30:00

        var verdict = Assert.Single((await processing).Verdicts);
        Assert.Equal(AuditDecision.TimedOut, verdict.Decision);
        Assert.Equal(TimeSpan.FromMinutes(150), worker.Audit.Of(AuditDecision.TimedOut).Single().Duration);
    }

    [Fact]
    public async Task ProcessAsync_StartThrows_FailedRecordNoCrash()
    {
        await using var worker = CreateWorker();
        _runner.StartAsync(Arg.Any<RunbookPlan>(), Arg.Any<CancellationToken>()).Throws(new InvalidOperationException("AutomationDefinitionNotFound"));

        var verdict = Assert.Single((await worker.ProcessAsync(TestEvents.RollbackFailed(T0))).Verdicts);

        Assert.Equal(AuditDecision.Failed, verdict.Decision);
        Assert.Contains("AutomationDefinitionNotFound", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lease_SecondEventOnTheResourceWhileARunIsInFlight_DeferredUntilTheLeaseEnds()
    {
        await using var worker = CreateWorker();
        var finish = new TaskCompletionSource<RunbookResult>();
        _runner.WaitForCompletionAsync(ExecutionId, Arg.Any<CancellationToken>()).Returns(_ => new ValueTask<RunbookResult>(finish.Task));

        var first = worker.ProcessAsync(TestEvents.RollbackFailed(T0)).AsTask();
        var second = Assert.Single((await worker.ProcessAsync(TestEvents.RollbackFailed(T0))).Verdicts);
        finish.SetResult(new RunbookResult(RunbookStatus.Succeeded, "Success"));
        await first;

        Assert.Equal((AuditDecision.Deferred, GuardNames.Lease), (second.Decision, second.Guard));
        Assert.StartsWith($"{TestEvents.OrdersStack} is being remediated by test-worker:", second.Reason, StringComparison.Ordinal);
        var timeout = worker.Get<PlaybookCatalog>().Current.Playbooks.Single(p => p.Id == "stack-rollback-continue").Options.Limits.Timeout;
        Assert.Equal(T0 + timeout + new LedgerOptions().LeaseMargin, second.RetryAt); // the lease
    }

    [Fact]
    public async Task InFlight_AtTheLimit_DeferredAndBelowIt_Allowed()
    {
        await using var worker = CreateWorker(maxInFlight: 1);
        var finish = new TaskCompletionSource<RunbookResult>();
        _runner.WaitForCompletionAsync(ExecutionId, Arg.Any<CancellationToken>()).Returns(_ => new ValueTask<RunbookResult>(finish.Task));

        var first = worker.ProcessAsync(TestEvents.RollbackFailed(T0)).AsTask();
        var atLimit = Assert.Single((await worker.ProcessAsync(TestEvents.RollbackFailed(T0, TestEvents.StackArn("b")))).Verdicts);
        finish.SetResult(new RunbookResult(RunbookStatus.Succeeded, "Success"));
        await first;
        var belowLimit = Assert.Single((await worker.ProcessAsync(TestEvents.RollbackFailed(T0, TestEvents.StackArn("c")))).Verdicts);

        Assert.Equal((AuditDecision.Deferred, GuardNames.InFlight, "1 runs in flight (limit 1)"), (atLimit.Decision, atLimit.Guard, atLimit.Reason));
        Assert.Equal(AuditDecision.Succeeded, belowLimit.Decision);
    }

    [Fact]
    public async Task Breaker_OpensAfterThresholdFailures_EscalatesThenHalfOpenTrialCloses()
    {
        await using var worker = CreateWorker();
        var outcome = RunbookStatus.Failed;
        _runner.WaitForCompletionAsync(ExecutionId, Arg.Any<CancellationToken>()).Returns(_ => new RunbookResult(outcome, outcome.ToString()));

        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(AuditDecision.Failed, (await Run(worker, T0.AddMinutes(i))).Decision);
        }

        Assert.Empty(worker.Audit.Of(AuditDecision.Escalated));
        Assert.Equal(AuditDecision.Failed, (await Run(worker, T0.AddMinutes(2))).Decision);
        var escalation = Assert.Single(worker.Audit.Of(AuditDecision.Escalated));
        Assert.Equal(GuardNames.Breaker, escalation.Guard);
        Assert.Equal("playbook stack-rollback-continue failed 3 runs in a row; stopped until 2026-11-26T08:32:00Z", escalation.Reason);

        var open = await Run(worker, T0.AddMinutes(32).AddTicks(-1));
        Assert.Equal((AuditDecision.Deferred, GuardNames.Breaker), (open.Decision, open.Guard));

        outcome = RunbookStatus.Succeeded;
        Assert.Equal(AuditDecision.Succeeded, (await Run(worker, T0.AddMinutes(32))).Decision); // half-open trial
        Assert.Equal(AuditDecision.Succeeded, (await Run(worker, T0.AddMinutes(33))).Decision); // closed again
    }

    [Fact]
    public async Task Breaker_HalfOpenTrialFails_OpensAgain()
    {
        await using var worker = CreateWorker();
        _runner.WaitForCompletionAsync(ExecutionId, Arg.Any<CancellationToken>()).Returns(new RunbookResult(RunbookStatus.Failed, "Failed"));
        for (var i = 0; i < 3; i++)
        {
            await Run(worker, T0.AddMinutes(i));
        }

        Assert.Equal(AuditDecision.Failed, (await Run(worker, T0.AddMinutes(32))).Decision);
        var reopened = await Run(worker, T0.AddMinutes(33));

        Assert.Equal((AuditDecision.Deferred, GuardNames.Breaker), (reopened.Decision, reopened.Guard));
        Assert.Equal(2, worker.Audit.Of(AuditDecision.Escalated).Count());
    }

    [Fact]
    public async Task Breaker_HalfOpenTrialInFlight_OtherEventsWait()
    {
        await using var worker = CreateWorker();
        _runner.WaitForCompletionAsync(ExecutionId, Arg.Any<CancellationToken>()).Returns(new RunbookResult(RunbookStatus.Failed, "Failed"));
        for (var i = 0; i < 3; i++)
        {
            await Run(worker, T0.AddMinutes(i));
        }

        var finish = new TaskCompletionSource<RunbookResult>();
        _runner.WaitForCompletionAsync(ExecutionId, Arg.Any<CancellationToken>()).Returns(_ => new ValueTask<RunbookResult>(finish.Task));
        worker.Time.SetUtcNow(T0.AddMinutes(40));
        var trial = worker.ProcessAsync(TestEvents.RollbackFailed(T0.AddMinutes(40), TestEvents.StackArn("trial"))).AsTask();
        var waiting = Assert.Single((await worker.ProcessAsync(TestEvents.RollbackFailed(T0.AddMinutes(40), TestEvents.StackArn("other")))).Verdicts);
        finish.SetResult(new RunbookResult(RunbookStatus.Succeeded, "Success"));
        await trial;

        Assert.Equal((AuditDecision.Deferred, GuardNames.Breaker), (waiting.Decision, waiting.Guard));
        Assert.Contains("half-open", waiting.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProcessAsync_LiveConfiguredButReplayDryRunOnly_Planned()
    {
        await using var worker = CreateWorker(dryRunOnly: true);

        var verdict = Assert.Single((await worker.ProcessAsync(TestEvents.RollbackFailed(T0))).Verdicts);

        Assert.Equal(AuditDecision.Planned, verdict.Decision);
        await _runner.DidNotReceiveWithAnyArgs().StartAsync(default!, default);
    }

    private static async Task<EventVerdict> Run(WorkerFixture worker, DateTimeOffset time)
    {
        worker.Time.SetUtcNow(time);
        return Assert.Single((await worker.ProcessAsync(TestEvents.RollbackFailed(time, TestEvents.StackArn("s")))).Verdicts);
    }

    [Fact]
    public async Task ProcessAsync_ShutdownWhileTracking_GivesBackClaimAttemptAndLeaseForTheRedelivery()
    {
        await using var worker = CreateWorker();
        _runner.WaitForCompletionAsync(ExecutionId, Arg.Any<CancellationToken>()).Returns(
            call => NeverCompletes(call.Arg<CancellationToken>()),
            _ => ValueTask.FromResult(new RunbookResult(RunbookStatus.Succeeded, "Success")));

        await ShutDownAndAssertHandedBackAsync(worker);

        await _runner.Received(2).StartAsync(Arg.Any<RunbookPlan>(), Arg.Any<CancellationToken>()); // the same ClientToken in SSM
    }

    [Fact]
    public async Task ProcessAsync_ShutdownWhileTheStartWaits_GivesBackClaimAttemptAndLeaseForTheRedelivery()
    {
        await using var worker = CreateWorker();
        _runner.StartAsync(Arg.Any<RunbookPlan>(), Arg.Any<CancellationToken>()).Returns(
            call => NeverStarts(call.Arg<CancellationToken>()),
            _ => ValueTask.FromResult(RunbookStart.Started(ExecutionId)));
        _runner.WaitForCompletionAsync(ExecutionId, Arg.Any<CancellationToken>()).Returns(new RunbookResult(RunbookStatus.Succeeded, "Success"));

        await ShutDownAndAssertHandedBackAsync(worker);
    }

    /// <summary>Cancels the processing of an event as a shutdown does; then the ledger holds nothing of it (no
    /// claim, lease or attempt), and the redelivery succeeds instead of being skipped as a duplicate.</summary>
    private static async Task ShutDownAndAssertHandedBackAsync(WorkerFixture worker)
    {
        using var shutdown = new CancellationTokenSource();
        var e = TestEvents.RollbackFailed(T0);

        var processing = worker.Processor.ProcessAsync(TestEvents.Incoming(e), shutdown.Token).AsTask();
        await shutdown.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => processing);
        var snapshot = await worker.Get<RemediationWorker.Ledger.ILedger>().ReadAsync(new((string)e["id"]!, "stack-rollback-continue", TestEvents.OrdersStack), T0, CancellationToken.None);
        Assert.Null(snapshot.Claim);
        Assert.Null(snapshot.Lease);
        Assert.Equal(0, snapshot.Attempts.Count);
        Assert.Equal(AuditDecision.Succeeded, Assert.Single((await worker.ProcessAsync(e)).Verdicts).Decision);
    }

    private static async ValueTask<RunbookStart> NeverStarts(CancellationToken cancellationToken)
    {
        var never = new TaskCompletionSource<RunbookStart>();
        await using (cancellationToken.Register(() => never.TrySetCanceled(cancellationToken)))
        {
            return await never.Task;
        }
    }

    private static async ValueTask<RunbookResult> NeverCompletes(CancellationToken cancellationToken)
    {
        var never = new TaskCompletionSource<RunbookResult>();
        await using (cancellationToken.Register(() => never.TrySetCanceled(cancellationToken)))
        {
            return await never.Task;
        }
    }

    private WorkerFixture CreateWorker(int maxInFlight = 5, bool dryRunOnly = false, Action<IServiceCollection>? edges = null)
    {
        var configuration = TestConfiguration.Edited(
            json =>
            {
                TestConfiguration.Playbook(json, "stack-rollback-continue")["mode"] = "Live";
                json["Remediation"]!["limits"]!["maxInFlight"] = maxInFlight;
            },
            new Dictionary<string, string?> { ["Execution:Mode"] = "Live" });
        return new WorkerFixture(configuration, _runner, dryRunOnly, edges);
    }
}
