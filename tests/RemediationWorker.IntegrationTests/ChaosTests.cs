using Amazon.SQS.Model;
using RemediationWorker.Audit;
using Xunit.Abstractions;

namespace RemediationWorker.IntegrationTests;

/// <summary>Issue 5's chaos run: three worker processes sharing the ledger drain a queue of a couple of thousand
/// events (each of several kinds, many delivered more than once) while replicas are killed and restarted and SSM
/// throttles and fails, all drawn from a fixed seed (<see cref="ChaosDriver"/>). Then: every event has its final
/// audit record, the queue is empty and the dead-letter queue holds exactly the poison messages, and the runs at the
/// front are exactly the (event, playbook) pairs the guards let start, none twice, never two at once on a
/// resource.</summary>
[Collection(AwsScenarios.Name)]
public sealed class ChaosTests : WorkerProcessTest
{
    private const int Seed = 20261127;

    /// <summary>The most messages in the queue at once.</summary>
    private const int Backlog = 300;
    private static readonly AuditDecision[] FinalForPlaybook = [AuditDecision.Succeeded, AuditDecision.Failed, AuditDecision.TimedOut, AuditDecision.Skipped, AuditDecision.Escalated];

    public ChaosTests(AwsFixture fixture, ITestOutputHelper output)
        : base(fixture, output)
    {
        Aws.Front.PollsToFinish = 2;
    }

    /// <summary>How many events (not messages) the run sends; <c>CHAOS_EVENTS</c> overrides it.</summary>
    /// <remarks>300 by default: on the shared 2-core machine 3 replicas, moto and the front handle about 10 messages a
    /// second (docs/benchmarks.md), so 2,000 events (2,800 messages) take 4–5 minutes; run those with CHAOS_EVENTS=2000.</remarks>
    private static int EventCount => int.TryParse(Environment.GetEnvironmentVariable("CHAOS_EVENTS"), out var count) ? count : 300;

    [Fact]
    public async Task Replicas_KillsRestartsThrottlingAndServerErrors_NothingLostNothingTwice()
    {
        var clock = TimeProvider.System.GetTimestamp();
        var (queue, deadLetter) = await Aws.CreateQueuesAsync("chaos", maxReceiveCount: 1000);
        var chaos = ChaosEvents.Create(EventCount, Seed, firstNumber: 700_000);
        var settings = await ReplicaLedger.SharedAsync(Aws, queue, "chaos");
        settings["Intake:Sqs:Handlers"] = "16";
        settings["Intake:Sqs:RetryMaxVisibility"] = "00:00:08"; // events waiting out a killed replica's lease come back less often
        settings["Ledger:LeaseMargin"] = ReplicaLedger.ShortLeaseMargin;
        foreach (var playbook in WorkerProcessSettings.PlaybookIds)
        {
            // A killed replica's runs are taken over when their lease (timeout + margin) ends: 15 s after the start.
            WorkerProcessSettings.ShortTimeout(settings, playbook, "00:00:10");
        }

        // Events arrive as the queue drains, a backlog at a time: moto's SQS looks at every message of a queue on each
        // call, so a queue of thousands would measure moto rather than the replicas.
        var sent = 0;
        async Task<int> FeedAsync(int left)
        {
            var batch = chaos.Messages.Skip(sent).Take(Math.Max(0, Backlog - left)).ToList();
            await Aws.SendAllAsync(queue, batch);
            sent += batch.Count;
            return left + batch.Count;
        }

        var left = await FeedAsync(0);
        await using var replicas = new ReplicaSet(3, Directory.FullName, settings);

        // Audit before act: each start call must find its intent (`starting` with its client token) already on disk.
        var startsWithoutIntent = new System.Collections.Concurrent.ConcurrentBag<string>();
        Aws.Front.BeforeStart = request =>
        {
            var token = $"\"clientToken\":\"{(string)request["ClientToken"]!}\"";
            if (!replicas.AuditPaths.Any(path => File.Exists(path) && File.ReadLines(path).Any(line => line.Contains("\"decision\":\"starting\"", StringComparison.Ordinal) && line.Contains(token, StringComparison.Ordinal))))
            {
                startsWithoutIntent.Add(token);
            }
        };
        var driver = new ChaosDriver(Seed, replicas, Aws.Front, step: 0.07);
        await replicas.StartAllAsync();
        var eventIds = chaos.Events.Where(e => e.EventId is not null).Select(e => e.EventId!).ToHashSet(StringComparer.Ordinal);
        try
        {
            await replicas.WaitUntilAsync(
                async () =>
                {
                    left = await FeedAsync(await Aws.CountAsync(queue));
                    await driver.OnProgressAsync((double)(sent - left) / chaos.Messages.Count);
                    return sent == chaos.Messages.Count && left == 0 && Aws.Front.Runs.Where(r => eventIds.Contains(r.EventId)).All(r => r.Ended is not null);
                },
                TimeSpan.FromSeconds(180 + (chaos.Messages.Count / 4)),
                "the queue drained and every run ended");
        }
        catch (TimeoutException)
        {
            Output.WriteLine($"{chaos.Messages.Count - sent} messages not sent, {left} in the queue; runs not ended: {string.Join(", ", Aws.Front.Runs.Where(r => eventIds.Contains(r.EventId) && r.Ended is null).Select(r => r.ExecutionId))}");
            Output.WriteLine(string.Join("\n", driver.Log));
            throw;
        }

        await driver.EndFaultsAsync();
        var exits = await replicas.TerminateAllAsync(TimeSpan.FromSeconds(20));
        var drained = TimeProvider.System.GetElapsedTime(clock);

        foreach (var line in driver.Log)
        {
            Output.WriteLine(line);
        }

        Assert.All(exits, code => Assert.Equal(0, code));
        var audit = replicas.ReadAudit();
        var runs = Aws.Front.Runs.Where(r => eventIds.Contains(r.EventId)).ToList();
        var started = audit.Where(r => r.Decision == AuditDecision.Started).Select(r => (r.EventId!, r.Playbook!)).ToHashSet();
        var deadLettered = await DrainAsync(deadLetter);
        var poison = chaos.Events.Where(e => e.Kind == ChaosKind.Poison).Select(e => e.Body).ToHashSet(StringComparer.Ordinal);
        var poisonMessages = chaos.Messages.Count(poison.Contains);
        var decisions = audit.GroupBy(r => r.Decision.ToWireName()).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

        Output.WriteLine($"seed {Seed}: {chaos.Events.Count} events in {chaos.Messages.Count} messages; {replicas.Count} replicas, {replicas.Started} processes started, {driver.Kills} SIGKILLs, {driver.Stops} SIGTERMs, {driver.Throttles} throttling spells ({Aws.Front.Throttled} throttled calls in all), {driver.ServerErrorBursts} 5xx bursts");
        Output.WriteLine($"events: {chaos.Events.Count(e => e.Kind == ChaosKind.Remediate)} remediation, {chaos.Events.Count(e => e.Kind == ChaosKind.NoMatch)} no-match, {poison.Count} poison ({poisonMessages} messages)");
        Output.WriteLine($"audit: {audit.Count} records; " + string.Join(", ", decisions.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => $"{d.Key} {d.Value}")));
        Output.WriteLine($"runs at the front: {runs.Count}; distinct (event, playbook) pairs the guards let start: {started.Count}; statuses: " + string.Join(", ", runs.GroupBy(r => r.Status).Select(g => $"{g.Key} {g.Count()}")));
        Output.WriteLine($"queue: {await Aws.CountAsync(queue)} left; dead-letter queue: {deadLettered.Count} messages ({deadLettered.Distinct().Count()} distinct)");
        Output.WriteLine($"drained and stopped in {drained.TotalSeconds:F1} s");

        // Every event has its final record.
        var final = audit.Where(r => r.EventId is not null && r.Playbook is not null && FinalForPlaybook.Contains(r.Decision)).Select(r => (r.EventId!, r.Playbook!)).ToHashSet();
        var noMatch = audit.Where(r => r.Decision == AuditDecision.NoMatch).Select(r => r.EventId!).ToHashSet(StringComparer.Ordinal);
        var withoutFinal = chaos.Events.Where(e => e.Kind == ChaosKind.Remediate && !final.Contains((e.EventId!, e.Playbook!))).Select(e => e.EventId)
            .Concat(chaos.Events.Where(e => e.Kind == ChaosKind.NoMatch && !noMatch.Contains(e.EventId!)).Select(e => e.EventId)).ToList();
        Assert.True(withoutFinal.Count == 0, $"{withoutFinal.Count} events without a final audit record: {string.Join(", ", withoutFinal.Take(20))}");
        var ended = audit.Where(r => r.Decision is AuditDecision.Succeeded or AuditDecision.Failed or AuditDecision.TimedOut).Select(r => (r.EventId!, r.Playbook!)).ToHashSet();
        var withoutOutcome = started.Where(pair => !ended.Contains(pair)).ToList();
        Assert.True(withoutOutcome.Count == 0, $"{withoutOutcome.Count} runs started without an outcome in the audit:\n" + Describe(audit, [.. audit.Where(r => withoutOutcome.Contains((r.EventId!, r.Playbook!))).Select(r => r.Resource!).Distinct()]));
        Assert.True(decisions.GetValueOrDefault("rejected") >= poisonMessages, $"{decisions.GetValueOrDefault("rejected")} rejected records for {poisonMessages} poison messages");

        // The queue is empty; the dead-letter queue holds the poison messages and nothing else.
        Assert.Equal(0, await Aws.CountAsync(queue));
        Assert.True(poison.SetEquals(deadLettered), $"the dead-letter queue holds {deadLettered.Count(poison.Contains)} poison messages of {poison.Count} and {deadLettered.Count(d => !poison.Contains(d))} others");
        Assert.InRange(deadLettered.Count, poisonMessages, decisions.GetValueOrDefault("rejected")); // each copy at least once; each forward follows its audit record

        // Audit before act: every pair the guards let start has its intent (one client token; a redelivery after a kill
        // between intent and start, or a takeover, writes it again with the same token), on disk before each start call.
        Assert.True(startsWithoutIntent.IsEmpty, $"{startsWithoutIntent.Count} start calls found no intent on disk: {string.Join(", ", startsWithoutIntent.Take(10))}");
        var intents = audit.Where(r => r.Decision == AuditDecision.Starting).GroupBy(r => (r.EventId!, r.Playbook!)).ToDictionary(g => g.Key, g => g.Select(r => r.ClientToken).Distinct().Count());
        Assert.True(started.All(pair => intents.GetValueOrDefault(pair) == 1), "started pairs without exactly one intent token: " + string.Join(", ", started.Where(pair => intents.GetValueOrDefault(pair) != 1).Take(10)));
        Aws.Front.BeforeStart = null;

        // Runs: exactly the pairs the guards allowed, each once, all ended, never two at once on a resource.
        Assert.Equal(started.Count, runs.Count);
        Assert.True(started.SetEquals(runs.Select(r => (r.EventId, r.Playbook))), "the runs at the front are not the pairs started in the audit");
        Assert.True(runs.All(r => r.Status == "Success"), string.Join(", ", runs.Where(r => r.Status != "Success").Select(r => $"{r.ExecutionId} {r.Status}")));
        ReplicaTests.AssertNoOverlap(runs);
        var eventsPerResource = chaos.Events.Where(e => e.Kind == ChaosKind.Remediate).GroupBy(e => e.Resource!).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var runsPerHotStack = eventsPerResource.Where(r => r.Value > 1).Select(r => (Stack: r.Key, Events: r.Value, Runs: runs.Count(run => run.Resource == r.Key))).ToList();
        Assert.True(
            runsPerHotStack.All(s => s.Runs == 1),
            "runs on the hot stacks (one each, the rest skipped): " + string.Join("; ", runsPerHotStack.Select(s => $"{s.Stack}: {s.Runs} runs for {s.Events} events"))
            + "\n" + Describe(audit, [.. runsPerHotStack.Where(s => s.Runs != 1).Select(s => s.Stack)]));
        var withoutRun = eventsPerResource.Keys.Where(resource => !runs.Any(r => r.Resource == resource)).ToList();
        Assert.True(withoutRun.Count == 0, $"{withoutRun.Count} resources without a run:\n" + Describe(audit, withoutRun)); // every resource but the hot stacks has one event
        Assert.Equal(eventsPerResource.Count, runs.Count);

        // All replicas' audit files verify, and query reads them as one timeline.
        await ReplicaAudit.AssertVerifiesAsync(replicas.AuditPaths, audit);
    }

    /// <summary>The decisions about <paramref name="resources"/>, for a failure message.</summary>
    private static string Describe(IReadOnlyList<StoredAuditRecord> audit, IReadOnlyCollection<string> resources)
        => string.Join("\n", audit.Where(r => r.Resource is not null && resources.Contains(r.Resource) && r.Decision is not (AuditDecision.Received or AuditDecision.Matched))
            .Select(r => $"{r.Time:O} {r.WorkerId} {r.EventId} {r.Resource} {r.Decision.ToWireName()} {r.Guard}: {r.Reason}"));

    private async Task<List<string>> DrainAsync(string queueUrl)
    {
        var bodies = new List<string>();
        while (true)
        {
            var response = await Aws.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl, MaxNumberOfMessages = 10, VisibilityTimeout = 600, WaitTimeSeconds = 0 });
            if (response.Messages is not { Count: > 0 } messages)
            {
                return bodies;
            }

            bodies.AddRange(messages.Select(m => m.Body));
        }
    }
}
