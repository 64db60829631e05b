using RemediationWorker.Audit;
using Xunit.Abstractions;

namespace RemediationWorker.IntegrationTests;

/// <summary>Issue 5's proofs with real processes: three worker replicas on one queue share the ledger. The truth is
/// read from the front's own log of runs (start and end as the front saw them), the queue and the replicas' audit
/// files.</summary>
[Collection(AwsScenarios.Name)]
public sealed class ReplicaTests : WorkerProcessTest
{
    private const string Drift = "stack-drift-revert";
    private const string Rollback = "stack-rollback-continue";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    public ReplicaTests(AwsFixture fixture, ITestOutputHelper output)
        : base(fixture, output)
    {
    }

    [Fact]
    public async Task ThreeReplicas_EventsDeliveredThreeTimes_OneRunPerEventAndPlaybookNeverTwoAtOnceOnAStack()
    {
        var clock = TimeProvider.System.GetTimestamp();
        var (queue, deadLetter) = await Aws.CreateQueuesAsync("replicas-duplicates", maxReceiveCount: 100);
        Aws.Front.PollsToFinish = 3; // runs last a few polls, so that runs on one stack would overlap without the lease
        var events = new List<(string EventId, string Playbook, string Stack, string Body)>();
        for (var n = 0; n < 20; n++)
        {
            // Each stack gets a drift event and a stuck-rollback event (two playbooks, one resource); half of them a
            // second drift event (a new event within the cooldown).
            var drift = Event(TestEvents.Drift(810_000 + n), Drift);
            events.Add(drift);
            events.Add(Event(ReplicaEvents.RollbackFailed(drift.Stack), Rollback));
            if (n % 2 == 0)
            {
                events.Add(Event(TestEvents.Drift(810_000 + n), Drift));
            }
        }

        var messages = events.SelectMany(e => Enumerable.Repeat(e.Body, 3)).ToList();
        new Random(5).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(messages));
        await Aws.SendAllAsync(queue, messages);
        var settings = await ReplicaLedger.SharedAsync(Aws, queue, "duplicates");

        await using var replicas = new ReplicaSet(3, Directory.FullName, settings);
        await replicas.StartAllAsync();
        var ids = events.Select(e => e.EventId).ToHashSet(StringComparer.Ordinal);
        await replicas.WaitUntilAsync(
            async () => await Aws.CountAsync(queue) == 0 && Aws.Front.Runs.Where(r => ids.Contains(r.EventId)).All(r => r.Ended is not null),
            Patience,
            "every message handled and every run ended");
        Assert.All(await replicas.TerminateAllAsync(TimeSpan.FromSeconds(20)), code => Assert.Equal(0, code));

        var audit = replicas.ReadAudit();
        var runs = Aws.Front.Runs.Where(r => ids.Contains(r.EventId)).ToList();
        var started = audit.Where(r => r.Decision == AuditDecision.Started).Select(r => (r.EventId!, r.Playbook!)).ToHashSet();
        Output.WriteLine($"{events.Count} events in {messages.Count} messages: {runs.Count} runs; audit " + string.Join(", ", audit.GroupBy(r => r.Decision.ToWireName()).Select(g => $"{g.Key} {g.Count()}")) + $"; {TimeProvider.System.GetElapsedTime(clock).TotalSeconds:F1} s");

        // Every (event, playbook) has its final record; the runs are exactly the pairs allowed to start, each once.
        Assert.All(events, e => Assert.Contains(audit, r => r.EventId == e.EventId && r.Playbook == e.Playbook && r.Decision is AuditDecision.Succeeded or AuditDecision.Skipped));
        Assert.True(started.SetEquals(runs.Select(r => (r.EventId, r.Playbook))), $"{started.Count} pairs started in the audit, {runs.Count} runs at the front");
        Assert.Equal(runs.Count, runs.Select(r => (r.EventId, r.Playbook)).Distinct().Count());
        Assert.All(runs, r => Assert.Equal("Success", r.Status));

        // The lease: never two runs at once on a stack. The cooldown, across replicas: one run per stack and playbook.
        AssertNoOverlap(runs);
        var perStackAndPlaybook = runs.GroupBy(r => (r.Resource, r.Playbook)).Where(g => g.Count() > 1).Select(g => $"{g.Key.Resource} {g.Key.Playbook}: {g.Count()}").ToList();
        Assert.True(perStackAndPlaybook.Count == 0, "more than one run: " + string.Join("; ", perStackAndPlaybook));
        Assert.Contains(runs, r => r.Playbook == Drift);
        Assert.Equal(0, await Aws.CountAsync(deadLetter));
        await ReplicaAudit.AssertVerifiesAsync(replicas.AuditPaths, audit);
    }

    [Fact]
    public async Task ThreeReplicas_OneKilledMidRun_LeaseExpiresAndAnotherCompletesWithTheSameRun()
    {
        var clock = TimeProvider.System.GetTimestamp();
        var (queue, deadLetter) = await Aws.CreateQueuesAsync("replicas-kill", maxReceiveCount: 100);
        Aws.Front.Outcome = "Never";
        var body = TestEvents.Drift(820_001);
        var (eventId, stack) = ReplicaEvents.Identify(body);
        await Aws.Sqs.SendMessageAsync(queue, body);
        var settings = await ReplicaLedger.SharedAsync(Aws, queue, "kill");
        WorkerProcessSettings.ShortTimeout(settings, Drift, ReplicaLedger.ShortTimeout);
        settings["Ledger:LeaseMargin"] = ReplicaLedger.ShortLeaseMargin; // the lease ends 10 s after the start, not 65 s

        await using var replicas = new ReplicaSet(3, Directory.FullName, settings);
        await replicas.StartAllAsync();
        var holder = -1;
        await replicas.WaitUntilAsync(
            () =>
            {
                holder = Enumerable.Range(0, replicas.Count).FirstOrDefault(slot => WorkerProcess.ReadAudit(replicas.AuditPath(slot)).Any(r => r.Decision == AuditDecision.Started), -1);
                return Task.FromResult(holder >= 0);
            },
            Patience,
            "a replica starting the run");
        var killedWorker = WorkerProcess.ReadAudit(replicas.AuditPath(holder)).Single(r => r.Decision == AuditDecision.Started).WorkerId;
        await replicas.KillAsync(holder);
        var killedAt = TimeProvider.System.GetTimestamp();
        Output.WriteLine($"killed replica {holder} ({killedWorker}) holding the run at {TimeProvider.System.GetElapsedTime(clock).TotalSeconds:F1} s");

        // Another replica takes the message when its visibility lapses, waits out the lease, and tracks the same run.
        await replicas.WaitUntilAsync(
            () => Task.FromResult(replicas.ReadAudit().Any(r => r.Decision == AuditDecision.Started && r.WorkerId != killedWorker)),
            Patience,
            "another replica taking the run over");
        Output.WriteLine($"taken over {TimeProvider.System.GetElapsedTime(killedAt).TotalSeconds:F1} s after the kill");
        Aws.Front.FinishStuckRuns("Success");
        await replicas.WaitUntilAsync(
            async () => replicas.ReadAudit().Any(r => r.Decision == AuditDecision.Succeeded && r.EventId == eventId) && await Aws.CountAsync(queue) == 0,
            Patience,
            "the event finished and its message deleted");
        Assert.All(await replicas.TerminateAllAsync(TimeSpan.FromSeconds(20)), code => Assert.Equal(0, code));

        var run = Assert.Single(Aws.Front.Runs, r => r.Resource == stack);
        Assert.Equal("Success", run.Status);
        var audit = replicas.ReadAudit();
        var final = Assert.Single(audit, r => r.Decision == AuditDecision.Succeeded);
        Assert.NotEqual(killedWorker, final.WorkerId);
        Assert.Equal(run.ExecutionId, final.ExecutionId);
        Assert.All(audit.Where(r => r.Decision == AuditDecision.Started), r => Assert.Equal(run.ExecutionId, r.ExecutionId));
        var takenOver = Assert.Single(audit, r => r.Decision == AuditDecision.Started && r.WorkerId != killedWorker);
        Assert.Contains($"took over from {killedWorker}", takenOver.Reason, StringComparison.Ordinal);
        Assert.Equal(0, await Aws.CountAsync(deadLetter));
        await ReplicaAudit.AssertVerifiesAsync(replicas.AuditPaths, audit);
    }

    [Fact]
    public async Task TwoReplicas_OneStoppedWithRunsInFlight_TheOtherTakesThemAtOnceWithTheSameRuns()
    {
        var (queue, _) = await Aws.CreateQueuesAsync("replicas-sigterm", maxReceiveCount: 100);
        Aws.Front.Outcome = "Never";
        var stacks = new HashSet<string>(StringComparer.Ordinal);
        for (var n = 840_001; n <= 840_003; n++)
        {
            var body = TestEvents.Drift(n);
            stacks.Add(ReplicaEvents.Identify(body).Stack);
            await Aws.Sqs.SendMessageAsync(queue, body);
        }

        var settings = await ReplicaLedger.SharedAsync(Aws, queue, "sigterm");
        settings["Intake:Sqs:VisibilityTimeout"] = "00:00:30"; // only a hand-back makes them visible soon
        await using var replicas = new ReplicaSet(2, Directory.FullName, settings);
        await replicas.StartAsync(0);
        await replicas.WaitUntilAsync(() => Task.FromResult(replicas[0].ReadAudit().Count(r => r.Decision == AuditDecision.Started) == 3), Patience, "three runs in flight on replica 0");
        await replicas.StartAsync(1);
        await replicas[1].WaitUntilStartedAsync(Patience);

        var stopping = TimeProvider.System.GetTimestamp();
        Assert.Equal(0, await replicas.TerminateAsync(0, Patience));
        Output.WriteLine($"replica 0 stopped in {TimeProvider.System.GetElapsedTime(stopping).TotalSeconds:F2} s (grace 3 s)");
        await replicas.WaitUntilAsync(() => Task.FromResult(replicas[1].ReadAudit().Count(r => r.Decision == AuditDecision.Started) == 3), Patience, "replica 1 tracking the three runs");
        var pickedUp = TimeProvider.System.GetElapsedTime(stopping);
        Output.WriteLine($"replica 1 tracks them {pickedUp.TotalSeconds:F2} s after the SIGTERM");
        Assert.True(pickedUp < TimeSpan.FromSeconds(25), $"picked up after {pickedUp}: not handed back, but lapsed");

        Aws.Front.FinishStuckRuns("Success");
        await replicas.WaitUntilAsync(async () => replicas[1].ReadAudit().Count(r => r.Decision == AuditDecision.Succeeded) == 3 && await Aws.CountAsync(queue) == 0, Patience, "the three events finished by replica 1");
        Assert.Equal(0, await replicas.TerminateAsync(1, Patience));

        var runs = Aws.Front.Runs.Where(r => stacks.Contains(r.Resource)).ToList();
        Assert.Equal(3, runs.Count);
        var audit = replicas.ReadAudit();
        Assert.Equal(runs.Select(r => r.ExecutionId).Order(), audit.Where(r => r.Decision == AuditDecision.Succeeded).Select(r => r.ExecutionId!).Order());
        Assert.All(audit.Where(r => r.Decision == AuditDecision.Started), r => Assert.Contains(runs, run => run.ExecutionId == r.ExecutionId));
        await ReplicaAudit.AssertVerifiesAsync(replicas.AuditPaths, audit);
    }

    [Fact]
    public async Task ThreeReplicas_StormOnOneStack_OneRunRestSkippedByCooldownThenOneEscalationWhenAttemptsRunOut()
    {
        var clock = TimeProvider.System.GetTimestamp();
        var (queue, _) = await Aws.CreateQueuesAsync("replicas-storm", maxReceiveCount: 100);
        var settings = await ReplicaLedger.SharedAsync(Aws, queue, "storm");

        // The rollback playbook without a cooldown and with two attempts: its storm runs out of attempts.
        settings[WorkerProcessSettings.Playbook(Rollback, "limits:cooldown")] = "00:00:00";
        settings[WorkerProcessSettings.Playbook(Rollback, "limits:maxAttempts")] = "2";
        await using var replicas = new ReplicaSet(3, Directory.FullName, settings);
        await replicas.StartAllAsync();

        // A drift storm within the 30-minute cooldown: the first event runs, every later one is skipped.
        var first = TestEvents.Drift(830_001);
        var stack = ReplicaEvents.Identify(first).Stack;
        await Aws.Sqs.SendMessageAsync(queue, first);
        await replicas.WaitUntilAsync(() => Task.FromResult(replicas.ReadAudit().Any(r => r.Decision == AuditDecision.Succeeded && r.Resource == stack)), Patience, "the first run on the stack");
        var storm = Enumerable.Range(0, 300).Select(_ => TestEvents.Drift(830_001)).ToList();
        await Aws.SendAllAsync(queue, storm);
        var stormIds = storm.Select(b => ReplicaEvents.Identify(b).EventId).ToHashSet(StringComparer.Ordinal);
        await replicas.WaitUntilAsync(async () => await Aws.CountAsync(queue) == 0, Patience, "the storm handled");
        Output.WriteLine($"drift storm of {storm.Count} handled at {TimeProvider.System.GetElapsedTime(clock).TotalSeconds:F1} s");

        var audit = replicas.ReadAudit();
        Assert.Equal(1, Aws.Front.Runs.Count(r => r.Resource == stack));
        var stormRecords = audit.Where(r => r.EventId is not null && stormIds.Contains(r.EventId) && r.Playbook == Drift && r.Decision is not (AuditDecision.Received or AuditDecision.Matched)).ToList();
        Assert.Equal(stormIds.Count, stormRecords.Select(r => r.EventId).Distinct().Count()); // a message received twice is decided twice, alike
        Assert.All(stormRecords, r => Assert.True(r.Decision == AuditDecision.Skipped && r.Guard == "cooldown", $"{r.EventId}: {r.Decision} by {r.Guard}: {r.Reason}"));
        Output.WriteLine($"{stormRecords.Count} decisions for the {stormIds.Count} storm events, all skipped by the cooldown");

        // A rollback storm on another stack, in waves until the two attempts are spent and the next event escalates.
        var rollbackStack = ReplicaEvents.Identify(TestEvents.Drift(830_002)).Stack;
        var opsItemsBefore = Aws.Front.OpsItems.Count;
        for (var wave = 0; wave < 10 && !replicas.ReadAudit().Any(r => r.Decision == AuditDecision.Escalated && r.Resource == rollbackStack); wave++)
        {
            await Aws.SendAllAsync(queue, [.. Enumerable.Range(0, 30).Select(_ => ReplicaEvents.RollbackFailed(rollbackStack))]);
            await replicas.WaitUntilAsync(async () => await Aws.CountAsync(queue) == 0, Patience, "a wave handled");
        }

        await Aws.SendAllAsync(queue, [.. Enumerable.Range(0, 30).Select(_ => ReplicaEvents.RollbackFailed(rollbackStack))]);
        await replicas.WaitUntilAsync(async () => await Aws.CountAsync(queue) == 0, Patience, "a wave after the escalation");
        Assert.All(await replicas.TerminateAllAsync(TimeSpan.FromSeconds(20)), code => Assert.Equal(0, code));
        Output.WriteLine($"rollback storm handled at {TimeProvider.System.GetElapsedTime(clock).TotalSeconds:F1} s");

        audit = replicas.ReadAudit();
        var rollbackRuns = Aws.Front.Runs.Where(r => r.Resource == rollbackStack).ToList();
        Assert.Equal(2, rollbackRuns.Count);
        AssertNoOverlap(rollbackRuns);
        var escalation = Assert.Single(audit, r => r.Decision == AuditDecision.Escalated && r.Resource == rollbackStack);
        Assert.Equal("attempt-budget", escalation.Guard);
        Assert.Single(Aws.Front.OpsItems.Skip(opsItemsBefore), item => ((string?)item["Title"] ?? string.Empty).Contains(rollbackStack, StringComparison.Ordinal));
        Assert.Contains(audit, r => r.Decision == AuditDecision.Skipped && r.Resource == rollbackStack && (r.Reason ?? string.Empty).Contains("already escalated", StringComparison.Ordinal));
        await ReplicaAudit.AssertVerifiesAsync(replicas.AuditPaths, audit);
    }


    private static (string EventId, string Playbook, string Stack, string Body) Event(string body, string playbook)
    {
        var (eventId, stack) = ReplicaEvents.Identify(body);
        return (eventId, playbook, stack, body);
    }

    /// <summary>No resource had two runs in flight at once, by the front's own start and end times.</summary>
    internal static void AssertNoOverlap(IEnumerable<SsmFront.RunRecord> runs)
    {
        foreach (var resource in runs.GroupBy(r => r.Resource))
        {
            var ordered = resource.OrderBy(r => r.Started).ToList();
            for (var i = 1; i < ordered.Count; i++)
            {
                Assert.True(
                    ordered[i - 1].Ended is { } ended && ended <= ordered[i].Started,
                    $"{resource.Key}: run {ordered[i].ExecutionId} started at {ordered[i].Started:O} while {ordered[i - 1].ExecutionId} (started {ordered[i - 1].Started:O}) was in flight until {ordered[i - 1].Ended:O}");
            }
        }
    }
}
