using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using RemediationWorker.Audit;
using RemediationWorker.Diagnostics;
using RemediationWorker.Escalation;
using RemediationWorker.Execution;
using RemediationWorker.Guards;
using RemediationWorker.Intake;
using RemediationWorker.Ledger;
using RemediationWorker.Remediation;
using RemediationWorker.Tests.TestSupport;

namespace RemediationWorker.Tests.Remediation;

// NSubstitute configures a ValueTask-returning member by calling it: the returned ValueTask is never awaited.
#pragma warning disable CA2012

/// <summary>The promises of the decision path (issue 14): audit before act, defer never drop, honest failure
/// accounting, no loops, escalations that land.</summary>
public sealed class PromiseTests : IDisposable
{
    private const string ExecutionId = "5f6c1e2a-0b4d-4c8e-9a7f-3d2b1c0e9f88";
    private const string Playbook = "stack-rollback-continue";
    private static readonly DateTimeOffset T0 = WorkerFixture.Start;
    private readonly IAutomationRunner _runner = Substitute.For<IAutomationRunner>();
    private readonly IEscalationSink _escalations = Substitute.For<IEscalationSink>();
    private readonly string _directory = Directory.CreateTempSubdirectory("promises-").FullName;

    public PromiseTests()
    {
        _runner.StartAsync(Arg.Any<RunbookPlan>(), Arg.Any<CancellationToken>()).Returns(RunbookStart.Started(ExecutionId));
        _escalations.EscalateAsync(Arg.Any<EscalationRequest>(), Arg.Any<CancellationToken>()).Returns("oi-0123456789ab");
    }

    private string HeartbeatPath => Path.Combine(_directory, ".heartbeat");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task ProcessAsync_LiveStart_IntentWithRenderedParametersAndTokenIsFlushedBeforeTheStartCall()
    {
        await using var worker = CreateWorker();
        var flushedAtStart = -1;
        _runner.StartAsync(Arg.Any<RunbookPlan>(), Arg.Any<CancellationToken>()).Returns(_ =>
        {
            flushedAtStart = worker.Audit.FlushedAt.LastOrDefault();
            return RunbookStart.Started(ExecutionId);
        });
        _runner.WaitForCompletionAsync(ExecutionId, Arg.Any<CancellationToken>()).Returns(new RunbookResult(RunbookStatus.Succeeded, "Success"));

        await worker.ProcessAsync(TestEvents.RollbackFailed(T0));

        var decisions = worker.Audit.Records.Select(r => r.Decision).ToList();
        var starting = decisions.IndexOf(AuditDecision.Starting);
        Assert.True(starting > decisions.IndexOf(AuditDecision.Matched));
        Assert.True(flushedAtStart >= starting + 1, $"records flushed when SSM was called: {flushedAtStart}; the intent is record {starting + 1}");
        var intent = worker.Audit.Records[starting];
        Assert.Equal((Playbook, TestEvents.OrdersStack, "orders-service"), (intent.Playbook, intent.Resource, intent.Parameters!["StackName"].Split('/')[1]));
        Assert.Equal(ClientTokens.For(intent.EventId!, Playbook), intent.ClientToken);
    }

    [Fact]
    public async Task ProcessAsync_IntentCannotBeWritten_NothingStartsClaimGivenBackAndHealthUnhealthy()
    {
        var sink = Substitute.For<IAuditSink>();
        sink.FlushAsync(Arg.Any<CancellationToken>()).Returns(ValueTask.FromException(new IOException("No space left on device")));
        await using var worker = CreateWorker(edges: s => s.AddSingleton(sink));
        var e = TestEvents.RollbackFailed(T0);

        await Assert.ThrowsAsync<AuditUnavailableException>(() => worker.ProcessAsync(e).AsTask());

        await _runner.DidNotReceiveWithAnyArgs().StartAsync(default!, default);
        var ledger = await worker.Get<ILedger>().ReadAsync(new((string)e["id"]!, Playbook, TestEvents.OrdersStack), T0, CancellationToken.None);
        Assert.Null(ledger.Claim);
        Assert.Equal(0, ledger.Attempts.Count);
        var health = HeartbeatCheck.Evaluate(HeartbeatPath, TimeSpan.FromMinutes(2), T0);
        Assert.False(health.IsHealthy);
        Assert.Contains("No space left on device", health.Reason, StringComparison.Ordinal);
        Assert.NotNull(worker.Get<AuditGate>().Reason);
    }

    [Fact]
    public async Task AuditGate_WriteFailsTwice_RetriedEveryFiveSecondsUntilItSucceedsThenHealthy()
    {
        var time = new FakeTimeProvider(T0);
        var sink = Substitute.For<IAuditSink>();
        sink.FlushAsync(Arg.Any<CancellationToken>()).Returns(
            _ => ValueTask.FromException(new IOException("full")),
            _ => ValueTask.FromException(new IOException("full")),
            _ => ValueTask.CompletedTask);
        var heartbeat = new Heartbeat(Options.Create(new HealthOptions { HeartbeatPath = HeartbeatPath }), time, NullLogger<Heartbeat>.Instance);
        using var gate = new AuditGate(sink, heartbeat, time, NullLogger<AuditGate>.Instance);
        gate.Fail(new IOException("full"));

        var waiting = gate.WaitUntilWritableAsync(CancellationToken.None);
        for (var i = 0; i < 2; i++)
        {
            time.Advance(AuditGate.RetryInterval);
            await WaitForFlushesAsync(sink, i + 1);
            Assert.False(waiting.IsCompleted);
            Assert.StartsWith("unhealthy:", File.ReadAllText(HeartbeatPath), StringComparison.Ordinal);
        }

        time.Advance(AuditGate.RetryInterval - TimeSpan.FromTicks(1));
        Assert.False(waiting.IsCompleted);
        time.Advance(TimeSpan.FromTicks(1));
        await waiting.WaitAsync(TimeSpan.FromSeconds(10), TimeProvider.System);

        Assert.Null(gate.Reason);
        Assert.True(gate.HasFailed);
        Assert.True(HeartbeatCheck.Evaluate(HeartbeatPath, TimeSpan.FromMinutes(2), time.GetUtcNow()).IsHealthy);
    }

    [Fact]
    public async Task ProcessAsync_BreakerOpen_DeferredUntilItClosesThenRemediated()
    {
        await using var worker = CreateWorker();
        _runner.WaitForCompletionAsync(ExecutionId, Arg.Any<CancellationToken>()).Returns(
            new RunbookResult(RunbookStatus.Failed, "Failed", "boom"),
            new RunbookResult(RunbookStatus.Failed, "Failed", "boom"),
            new RunbookResult(RunbookStatus.Failed, "Failed", "boom"),
            new RunbookResult(RunbookStatus.Succeeded, "Success"));
        for (var i = 0; i < 3; i++)
        {
            await worker.ProcessAsync(TestEvents.RollbackFailed(T0, TestEvents.StackArn($"s{i}")));
        }

        var e = TestEvents.RollbackFailed(T0, TestEvents.StackArn("later"));
        var deferred = await worker.ProcessAsync(e);
        worker.Time.SetUtcNow(deferred.RetryAt!.Value);
        var redelivered = await worker.ProcessAsync(e);

        Assert.Equal((EventOutcome.RetryLater, AuditDecision.Deferred, GuardNames.Breaker), (deferred.Outcome, deferred.Verdicts[0].Decision, deferred.Verdicts[0].Guard));
        Assert.Equal(T0 + TimeSpan.FromMinutes(30), deferred.RetryAt);
        Assert.Equal(T0 + TimeSpan.FromMinutes(30), worker.Audit.Of(AuditDecision.Deferred).Single().RetryAt);
        Assert.Equal((EventOutcome.Handled, AuditDecision.Succeeded), (redelivered.Outcome, redelivered.Verdicts[0].Decision));
    }

    [Theory]
    [InlineData(true, "Step fails when it is Refused: the stack is no longer in UPDATE_ROLLBACK_FAILED")]
    [InlineData(false, "PartiallyFixed: drift remains on Bucket")]
    public async Task ProcessAsync_RunbookRefusesOrFixesPart_EscalatedAndNeverABreakerFailure(bool refused, string message)
    {
        var (status, decision) = refused ? (RunbookStatus.Refused, AuditDecision.Refused) : (RunbookStatus.PartiallyFixed, AuditDecision.PartiallyFixed);
        await using var worker = CreateWorker();
        _runner.WaitForCompletionAsync(ExecutionId, Arg.Any<CancellationToken>()).Returns(new RunbookResult(status, "Failed", message));

        var verdicts = new List<EventVerdict>();
        for (var i = 0; i < 4; i++)
        {
            verdicts.Add(Assert.Single((await worker.ProcessAsync(TestEvents.RollbackFailed(T0, TestEvents.StackArn($"s{i}")))).Verdicts));
        }

        Assert.All(verdicts, v => Assert.Equal(decision, v.Decision));
        Assert.Equal(4, worker.Audit.Of(AuditDecision.Escalated).Count(r => r.Guard == GuardNames.Execution));
        Assert.DoesNotContain(worker.Audit.Records, r => r.Guard == GuardNames.Breaker);
        await _escalations.Received(4).EscalateAsync(Arg.Is<EscalationRequest>(r => r.Reason.Contains(message, StringComparison.Ordinal)), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task ProcessAsync_RefusalEscalationCannotBeCreated_DeferredAndTheRedeliveryEscalatesTheSameRun()
    {
        await using var worker = CreateWorker();
        _runner.WaitForCompletionAsync(ExecutionId, Arg.Any<CancellationToken>()).Returns(new RunbookResult(RunbookStatus.Refused, "Failed", "Refused: nested stack"));
        _escalations.EscalateAsync(Arg.Any<EscalationRequest>(), Arg.Any<CancellationToken>()).Returns(
            _ => ValueTask.FromException<string?>(new InvalidOperationException("OpsCenter throttled")),
            _ => ValueTask.FromResult<string?>("oi-0123456789ab"));
        var e = TestEvents.RollbackFailed(T0);

        var first = await worker.ProcessAsync(e);
        worker.Time.SetUtcNow(first.RetryAt!.Value);
        var second = await worker.ProcessAsync(e);

        Assert.Equal((EventOutcome.RetryLater, GuardNames.Escalation), (first.Outcome, first.Verdicts[0].Guard));
        Assert.Equal((EventOutcome.Handled, AuditDecision.Refused), (second.Outcome, second.Verdicts[0].Decision));
        Assert.Single(worker.Audit.Of(AuditDecision.Escalated));
        await _runner.Received(2).StartAsync(Arg.Any<RunbookPlan>(), Arg.Any<CancellationToken>()); // the same ClientToken: one run
    }

    [Fact]
    public async Task ProcessAsync_EventCarriesATokenOurRunCaused_EscalatedWithCausedByInEveryRecordAndNotRunAgain()
    {
        const string Token = "RemediationWorker-5f6c1e2a-0b4d-4c8e-9a7f-3d2b1c0e9f88-1";
        await using var worker = CreateWorker();
        _runner.WaitForCompletionAsync(ExecutionId, Arg.Any<CancellationToken>()).Returns(new RunbookResult(RunbookStatus.Failed, "Failed", "rollback failed again") { CausedIds = [Token] });
        await worker.ProcessAsync(TestEvents.RollbackFailed(T0));
        worker.Audit.Clear();

        var again = TestEvents.RollbackFailed(T0.AddMinutes(5));
        again["detail"]!["client-request-token"] = Token;
        worker.Time.SetUtcNow(T0.AddMinutes(5));
        var verdict = Assert.Single((await worker.ProcessAsync(again)).Verdicts);

        Assert.Equal((AuditDecision.Escalated, GuardNames.Loop), (verdict.Decision, verdict.Guard));
        Assert.All(worker.Audit.Records, r => Assert.Equal(ExecutionId, r.CausedBy));
        Assert.Equal([AuditDecision.Received, AuditDecision.Matched, AuditDecision.Escalated], worker.Audit.Records.Select(r => r.Decision));
        await _runner.Received(1).StartAsync(Arg.Any<RunbookPlan>(), Arg.Any<CancellationToken>());
        await _escalations.Received(1).EscalateAsync(Arg.Is<EscalationRequest>(r => r.ExecutionIds.Contains(ExecutionId)), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task ProcessAsync_UnmatchedEventOurRunCaused_ReceivedAndNoMatchCarryCausedBy()
    {
        const string Token = "RemediationWorker-5f6c1e2a-0b4d-4c8e-9a7f-3d2b1c0e9f88-1";
        await using var worker = CreateWorker();
        _runner.WaitForCompletionAsync(ExecutionId, Arg.Any<CancellationToken>()).Returns(new RunbookResult(RunbookStatus.Succeeded, "Success") { CausedIds = [Token] });
        await worker.ProcessAsync(TestEvents.RollbackFailed(T0));
        worker.Audit.Clear();

        var completed = TestEvents.RollbackFailed(T0.AddMinutes(5));
        completed["detail"]!["status-details"]!["status"] = "UPDATE_ROLLBACK_COMPLETE";
        completed["detail"]!["client-request-token"] = Token;
        worker.Time.SetUtcNow(T0.AddMinutes(5));
        var verdict = Assert.Single((await worker.ProcessAsync(completed)).Verdicts);

        Assert.Equal(AuditDecision.NoMatch, verdict.Decision);
        Assert.Equal([AuditDecision.Received, AuditDecision.NoMatch], worker.Audit.Records.Select(r => r.Decision));
        Assert.All(worker.Audit.Records, r => Assert.Equal(ExecutionId, r.CausedBy));
        Assert.All(worker.Audit.Records, r => Assert.Equal(TestEvents.OrdersStack, r.Resource));
    }

    [Fact]
    public async Task ProcessAsync_UnmatchedEventLedgerUnavailable_NoMatchSaysTheCauseIsUnknown()
    {
        var ledger = Substitute.For<ILedger>();
        ledger.FindCauseAsync(default!, default, default).ReturnsForAnyArgs<CauseState?>(_ => throw new LedgerUnavailableException("DynamoDB throttled"));
        await using var worker = CreateWorker(edges: services => services.AddSingleton(ledger));
        var completed = TestEvents.RollbackFailed(T0);
        completed["detail"]!["status-details"]!["status"] = "UPDATE_ROLLBACK_COMPLETE";

        var verdict = Assert.Single((await worker.ProcessAsync(completed)).Verdicts);

        Assert.Equal(AuditDecision.NoMatch, verdict.Decision);
        var noMatch = worker.Audit.Records[^1];
        Assert.StartsWith("nearest playbook stack-rollback-continue: detail.status-details.status: decides no match", noMatch.Reason, StringComparison.Ordinal);
        Assert.EndsWith("; whether a run of ours caused it is unknown: DynamoDB throttled", noMatch.Reason, StringComparison.Ordinal);
        Assert.Null(noMatch.CausedBy);
    }

    [Fact]
    public async Task ProcessAsync_TokenNotCausedByUs_RemediatedAsUsual()
    {
        await using var worker = CreateWorker();
        _runner.WaitForCompletionAsync(ExecutionId, Arg.Any<CancellationToken>()).Returns(new RunbookResult(RunbookStatus.Succeeded, "Success"));
        var e = TestEvents.RollbackFailed(T0);
        e["detail"]!["client-request-token"] = "RemediationWorker-11111111-2222-3333-4444-555555555555-1"; // our prefix, not our run

        var verdict = Assert.Single((await worker.ProcessAsync(e)).Verdicts);

        Assert.Equal(AuditDecision.Succeeded, verdict.Decision);
        Assert.All(worker.Audit.Records, r => Assert.Null(r.CausedBy));
    }

    [Fact]
    public async Task ProcessAsync_InFlightLimitReached_OverflowDeferredAndEveryStackEventuallyHandled()
    {
        await using var worker = CreateWorker(maxInFlight: 2);
        var finish = new TaskCompletionSource<RunbookResult>();
        _runner.WaitForCompletionAsync(ExecutionId, Arg.Any<CancellationToken>()).Returns(_ => new ValueTask<RunbookResult>(finish.Task));
        var events = Enumerable.Range(0, 5).Select(i => TestEvents.RollbackFailed(T0, TestEvents.StackArn($"swept-{i}"))).ToList();

        var running = events.Take(2).Select(e => worker.ProcessAsync(e).AsTask()).ToList();
        var overflow = new List<EventResult>();
        foreach (var e in events.Skip(2))
        {
            overflow.Add(await worker.ProcessAsync(e));
        }

        finish.SetResult(new RunbookResult(RunbookStatus.Succeeded, "Success"));
        await Task.WhenAll(running);
        worker.Time.Advance(InFlightGuard.Recheck);
        var redelivered = new List<EventResult>();
        foreach (var e in events.Skip(2))
        {
            redelivered.Add(await worker.ProcessAsync(e));
        }

        Assert.All(overflow, r => Assert.Equal((EventOutcome.RetryLater, GuardNames.InFlight), (r.Outcome, r.Verdicts[0].Guard)));
        Assert.All(redelivered, r => Assert.Equal(EventOutcome.Handled, r.Outcome));
        Assert.Equal(5, worker.Audit.Of(AuditDecision.Succeeded).Count());
    }

    private static async Task WaitForFlushesAsync(IAuditSink sink, int count)
    {
        for (var i = 0; i < 200 && sink.ReceivedCalls().Count(c => c.GetMethodInfo().Name == nameof(IAuditSink.FlushAsync)) < count; i++)
        {
            await Task.Yield();
            await Task.Delay(TimeSpan.FromMilliseconds(5), TimeProvider.System);
        }
    }

    private WorkerFixture CreateWorker(int maxInFlight = 5, Action<IServiceCollection>? edges = null)
    {
        var configuration = TestConfiguration.Edited(
            json =>
            {
                TestConfiguration.Playbook(json, Playbook)["mode"] = "Live";
                json["Remediation"]!["limits"]!["maxInFlight"] = maxInFlight;
                json["Remediation"]!["limits"]!["maxStartsPerMinute"] = 100;
            },
            new Dictionary<string, string?> { ["Execution:Mode"] = "Live", ["Health:HeartbeatPath"] = HeartbeatPath });
        return new WorkerFixture(configuration, _runner, edges: s =>
        {
            s.AddSingleton(_escalations);
            edges?.Invoke(s);
        });
    }
}
