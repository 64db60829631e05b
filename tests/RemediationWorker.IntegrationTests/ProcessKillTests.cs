using Amazon.SQS.Model;
using RemediationWorker.Audit;
using Xunit.Abstractions;

namespace RemediationWorker.IntegrationTests;

/// <summary>Issue 4's crash and stop scenarios on the real executable: the worker runs as its own process
/// (<see cref="WorkerProcess"/>), is killed with SIGKILL or stopped with a real SIGTERM, and the proof is read
/// from the front's runs, the queue and the audit file the process left.</summary>
[Collection(AwsScenarios.Name)]
public sealed class ProcessKillTests : WorkerProcessTest
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(40);

    public ProcessKillTests(AwsFixture fixture, ITestOutputHelper output)
        : base(fixture, output)
    {
    }

    [Fact]
    public async Task Run_ProcessKilledMidRun_RestartFinishesTheEventWithNoSecondStart()
    {
        var (queue, _) = await Aws.CreateQueuesAsync("process-kill");
        Aws.Front.Outcome = "Never";
        var body = TestEvents.Drift(4101);
        var (eventId, stack) = ReplicaEvents.Identify(body);
        await Aws.Sqs.SendMessageAsync(queue, body);
        var settings = WorkerProcessSettings.Live(Aws, queue);
        var auditPath = Path.Combine(Directory.FullName, "worker.jsonl");

        await using (var first = WorkerProcess.Start("worker", auditPath, settings))
        {
            await WaitForAsync(first, () => Task.FromResult(first.ReadAudit().Any(r => r.Decision == AuditDecision.Started)), "the run started");
            first.Kill();
            Assert.NotEqual(0, await first.WaitForExitAsync(Patience));
        }

        var run = Assert.Single(Aws.Front.Runs, r => r.Resource == stack);
        Assert.Equal("InProgress", run.Status); // tracked, not finished, when the process died
        Assert.DoesNotContain(WorkerProcess.ReadAudit(auditPath), r => r.Decision == AuditDecision.Succeeded);
        var startCalls = Aws.Front.StartCalls;

        // The restarted worker appends to the same chain, takes the message once its visibility lapses and starts
        // with the same ClientToken: the front answers with the run already going, which it then tracks.
        await using var restarted = WorkerProcess.Start("restarted", auditPath, settings);
        await WaitForAsync(restarted, () => Task.FromResult(restarted.ReadAudit().Count(r => r.Decision == AuditDecision.Started) == 2), "the restarted worker tracking the run");
        Aws.Front.FinishStuckRuns("Success");
        await WaitForAsync(restarted, async () => restarted.ReadAudit().Any(r => r.Decision == AuditDecision.Succeeded) && await Aws.CountAsync(queue) == 0, "the event finished and its message deleted");

        Assert.Equal(run.ExecutionId, Assert.Single(Aws.Front.Runs, r => r.Resource == stack).ExecutionId);
        Assert.True(Aws.Front.StartCalls > startCalls, "the restarted worker asked to start (and was given the same run)");
        var audit = restarted.ReadAudit();
        Assert.All(audit.Where(r => r.Decision is AuditDecision.Started or AuditDecision.Succeeded), r => Assert.Equal(run.ExecutionId, r.ExecutionId));
        var final = Assert.Single(audit, r => r.Decision == AuditDecision.Succeeded);
        Assert.Equal(eventId, final.EventId);
        Assert.Equal("Success", final.Status);
        await ReplicaAudit.AssertVerifiesAsync([auditPath], audit);
    }

    [Fact]
    public async Task Run_SigtermWithWorkInFlight_ExitsZeroWithinGraceHandsBackAndFlushesTheAudit()
    {
        var (queue, _) = await Aws.CreateQueuesAsync("process-sigterm");
        Aws.Front.Outcome = "Never";
        var stacks = new List<string>();
        for (var n = 4201; n <= 4203; n++)
        {
            var body = TestEvents.Drift(n);
            stacks.Add(ReplicaEvents.Identify(body).Stack);
            await Aws.Sqs.SendMessageAsync(queue, body);
        }

        var settings = WorkerProcessSettings.Live(Aws, queue);
        settings["Intake:Sqs:VisibilityTimeout"] = "00:00:30"; // so that only a hand-back makes them visible soon
        var grace = TimeSpan.FromSeconds(3);
        var auditPath = Path.Combine(Directory.FullName, "stopped.jsonl");

        await using (var worker = WorkerProcess.Start("worker", auditPath, settings))
        {
            await WaitForAsync(worker, () => Task.FromResult(worker.ReadAudit().Count(r => r.Decision == AuditDecision.Started) == 3), "three runs in flight");
            var stopping = TimeProvider.System.GetTimestamp();
            worker.Terminate();
            var exitCode = await worker.WaitForExitAsync(Patience);
            var took = TimeProvider.System.GetElapsedTime(stopping);
            Output.WriteLine($"SIGTERM to exit: {took.TotalSeconds:F2} s (grace {grace.TotalSeconds} s)");

            Assert.True(exitCode == 0, $"exit code {exitCode}; output:\n{worker.Output}");
            Assert.InRange(took, grace - TimeSpan.FromMilliseconds(500), grace + TimeSpan.FromSeconds(3));
        }

        // Handed back: visible now, 25 s before their 30 s visibility would have lapsed.
        var visible = await Aws.Sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = queue, AttributeNames = ["ApproximateNumberOfMessages"] });
        Assert.Equal("3", visible.Attributes["ApproximateNumberOfMessages"]);

        // Flushed: every record the process wrote is in the file, the chain intact, no outcome it did not reach.
        var audit = WorkerProcess.ReadAudit(auditPath);
        Assert.Equal(3, audit.Count(r => r.Decision == AuditDecision.Started));
        Assert.DoesNotContain(audit, r => r.Decision is AuditDecision.Succeeded or AuditDecision.Failed or AuditDecision.TimedOut);
        await ReplicaAudit.AssertVerifiesAsync([auditPath], audit);

        // Another process picks them up at once and finishes them with the runs already started.
        var runs = Aws.Front.Runs.Where(r => stacks.Contains(r.Resource)).Select(r => r.ExecutionId).Order().ToList();
        Assert.Equal(3, runs.Count);
        Aws.Front.FinishStuckRuns("Success");
        var nextAudit = Path.Combine(Directory.FullName, "next.jsonl");
        var picking = TimeProvider.System.GetTimestamp();
        await using var next = WorkerProcess.Start("next", nextAudit, settings);
        await WaitForAsync(next, async () => next.ReadAudit().Count(r => r.Decision == AuditDecision.Succeeded) == 3 && await Aws.CountAsync(queue) == 0, "the handed-back events finished by another process");
        Output.WriteLine($"picked up and finished by the next process in {TimeProvider.System.GetElapsedTime(picking).TotalSeconds:F2} s");

        Assert.Equal(runs, Aws.Front.Runs.Where(r => stacks.Contains(r.Resource)).Select(r => r.ExecutionId!).Order().ToList());
        Assert.Equal(runs, next.ReadAudit().Where(r => r.Decision == AuditDecision.Succeeded).Select(r => r.ExecutionId!).Order().ToList());
    }


    /// <summary>Polls <paramref name="done"/>; fails at once with the process's output when it exits, and with
    /// that output when the condition does not come.</summary>
    internal static async Task WaitForAsync(WorkerProcess worker, Func<Task<bool>> done, string what)
    {
        try
        {
            await WorkerHarness.WaitUntilAsync(
                async () => await done() || (worker.HasExited ? throw new InvalidOperationException($"{worker} exited while waiting for {what}:\n{worker.Output}") : false),
                Patience,
                what);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}. Output of {worker}:\n{worker.Output}", ex);
        }
    }
}
