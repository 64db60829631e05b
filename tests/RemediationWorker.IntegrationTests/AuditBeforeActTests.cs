using RemediationWorker.Audit;
using RemediationWorker.Testing;
using Xunit.Abstractions;

namespace RemediationWorker.IntegrationTests;

/// <summary>Issue 14's contract for the checks, on the real executable: in Live mode on the samples, with SSM at the
/// front, every start finds its rendered parameters already in the audit file; with the audit on a full file
/// system nothing starts and <c>run --once</c> exits 3.</summary>
[Collection(AwsScenarios.Name)]
public sealed class AuditBeforeActTests : WorkerProcessTest
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public AuditBeforeActTests(AwsFixture fixture, ITestOutputHelper output)
        : base(fixture, output)
    {
    }

    [Fact]
    public async Task RunOnce_LiveOnTheSamples_EveryStartFindsItsIntentWithItsParametersOnDisk()
    {
        var auditPath = Path.Combine(Directory.FullName, "live.jsonl");
        var checkedStarts = 0;
        var missing = new List<string>();
        Aws.Front.BeforeStart = request =>
        {
            var token = (string)request["ClientToken"]!;
            var parameters = request["Parameters"]!.AsObject().ToDictionary(p => p.Key, p => (string)p.Value!.AsArray()[0]!, StringComparer.Ordinal);
            var intent = WorkerProcess.ReadAudit(auditPath).FirstOrDefault(r => r.Decision == AuditDecision.Starting && r.ClientToken == token);
            lock (missing)
            {
                checkedStarts++;
                if (intent?.Parameters is not { } written || !written.OrderBy(p => p.Key).SequenceEqual(parameters.OrderBy(p => p.Key)))
                {
                    missing.Add($"{token}: {(intent is null ? "no starting record" : "other parameters")}");
                }
            }
        };

        await using var worker = WorkerProcess.StartOnce("live-samples", auditPath, Settings());
        var exitCode = await worker.WaitForExitAsync(Patience);

        Assert.True(exitCode == 0, $"exit code {exitCode}:\n{worker.Output}");
        Assert.True(checkedStarts >= 3, $"{checkedStarts} starts reached the front:\n{worker.Output}");
        Assert.Empty(missing);
        var audit = WorkerProcess.ReadAudit(auditPath);
        Assert.Equal(audit.Count(r => r.Decision == AuditDecision.Starting), audit.Count(r => r.Decision == AuditDecision.Started));
        await ReplicaAudit.AssertVerifiesAsync([auditPath], audit);
    }

    [Fact]
    public async Task RunOnce_AuditOnAFullFileSystem_NothingStartsAndExitsThree()
    {
        var auditPath = Path.Combine(Directory.FullName, "full.jsonl");
        File.CreateSymbolicLink(auditPath, "/dev/full"); // every write fails with ENOSPC
        var startCalls = Aws.Front.StartCalls;
        var heartbeat = Path.Combine(Directory.FullName, ".heartbeat");
        var settings = Settings();
        settings["Health:HeartbeatPath"] = heartbeat;

        await using var worker = WorkerProcess.StartOnce("full-disk", auditPath, settings);
        var exitCode = await worker.WaitForExitAsync(Patience);

        Assert.True(exitCode == 3, $"exit code {exitCode}:\n{worker.Output}");
        Assert.Equal(startCalls, Aws.Front.StartCalls);
        Assert.StartsWith("unhealthy: the audit log cannot be written", await File.ReadAllTextAsync(heartbeat), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_KilledBetweenIntentAndStart_TheRedeliveryFindsTheIntentAndStartsOneRun()
    {
        var (queue, _) = await Aws.CreateQueuesAsync("intent-kill");
        var body = TestEvents.Drift(4301);
        var (_, stack) = ReplicaEvents.Identify(body);
        await Aws.Sqs.SendMessageAsync(queue, body);
        var settings = WorkerProcessSettings.Live(Aws, queue);
        var auditPath = Path.Combine(Directory.FullName, "intent.jsonl");
        var intentOnDisk = false;

        await using (var first = WorkerProcess.Start("worker", auditPath, settings))
        {
            Aws.Front.BeforeStart = _ =>
            {
                // The start call is on its way: the intent must already be on disk. Kill before SSM acts on it.
                intentOnDisk = WorkerProcess.ReadAudit(auditPath).Any(r => r.Decision == AuditDecision.Starting && r.Resource == stack);
                first.Kill();
                Aws.Front.Down = true;
                Aws.Front.BeforeStart = null;
            };
            Assert.NotEqual(0, await first.WaitForExitAsync(Patience));
        }

        Assert.True(intentOnDisk, "the starting record was not on disk when the start call arrived");
        Assert.DoesNotContain(Aws.Front.Runs, r => r.Resource == stack);
        Aws.Front.Down = false;

        await using var restarted = WorkerProcess.Start("restarted", auditPath, settings);
        await ProcessKillTests.WaitForAsync(restarted, async () => restarted.ReadAudit().Any(r => r.Decision == AuditDecision.Succeeded) && await Aws.CountAsync(queue) == 0, "the redelivery remediated");

        Assert.Single(Aws.Front.Runs, r => r.Resource == stack);
        var audit = restarted.ReadAudit();
        var intents = audit.Where(r => r.Decision == AuditDecision.Starting).ToList();
        Assert.Equal(2, intents.Count); // the killed one and the redelivery's, with the same token
        Assert.Single(intents.Select(r => r.ClientToken).Distinct());
        Assert.Single(audit, r => r.Decision == AuditDecision.Started);
        await ReplicaAudit.AssertVerifiesAsync([auditPath], audit);
    }

    /// <summary>Every shipped playbook Live on the samples directory, SSM (and OpsCenter) at the front.</summary>
    private Dictionary<string, string?> Settings()
    {
        var settings = WorkerProcessSettings.Live(Aws, "http://127.0.0.1:1/unused");
        settings["Intake:Source"] = "Local";
        settings["Intake:QueueUrl"] = null;
        settings["Intake:Local:Path"] = Path.Combine(RepositoryPaths.Root, "samples", "events");
        settings["Execution:Mode"] = "Live";
        return settings;
    }
}
