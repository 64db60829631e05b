using System.Text.Json.Nodes;
using RemediationWorker.Audit;
using RemediationWorker.Guards;
using RemediationWorker.Testing;

namespace RemediationWorker.IntegrationTests;

/// <summary>Issue 14's proofs on the real wire protocols (the worker in this process, SQS on moto, SSM at the
/// front): deferred events are kept and handled once their guard lets them, without walking into the dead-letter
/// queue; a fault our own run caused is escalated, not run again.</summary>
[Collection(AwsScenarios.Name)]
public sealed class DeferralScenarioTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly AwsEndpoints _aws;

    public DeferralScenarioTests(AwsFixture fixture)
    {
        _aws = fixture.Aws;
        _aws.Front.Reset();
    }

    [Fact]
    public async Task Run_SweepLargerThanMaxInFlight_EveryStackEventuallyRemediatedNoneDeadLettered()
    {
        var (queue, deadLetter) = await _aws.CreateQueuesAsync("sweep-overflow", maxReceiveCount: 2);
        _aws.Front.PollsToFinish = 4;
        for (var n = 8101; n <= 8108; n++)
        {
            await _aws.Sqs.SendMessageAsync(queue, TestEvents.Drift(n));
        }

        await using var worker = new WorkerHarness(_aws, queue, Overrides(("Remediation:limits:maxInFlight", "2")));
        await worker.StartAsync();
        await WorkerHarness.WaitUntilAsync(async () => worker.Count(AuditDecision.Succeeded) == 8 && await _aws.CountAsync(queue) == 0, Patience, "all eight stacks remediated");

        Assert.Contains(worker.Of(AuditDecision.Deferred), r => r.Guard == GuardNames.InFlight && r.RetryAt is not null);
        Assert.Equal(0, await _aws.CountAsync(deadLetter)); // deferrals spend no receive: maxReceiveCount 2 was enough
        Assert.Equal(8, worker.Of(AuditDecision.Started).Select(r => r.Resource).Distinct().Count());
    }

    [Fact]
    public async Task Run_BreakerOpenThenClosed_TheDeferredEventIsRemediatedAfterItCloses()
    {
        var (queue, deadLetter) = await _aws.CreateQueuesAsync("breaker-defer", maxReceiveCount: 2);
        _aws.Front.Outcome = "Failed";
        await using var worker = new WorkerHarness(_aws, queue, Overrides(("Remediation:breaker:breakDuration", "00:00:04")));
        await worker.StartAsync();
        for (var n = 8201; n <= 8203; n++)
        {
            await _aws.Sqs.SendMessageAsync(queue, TestEvents.Drift(n));
        }

        await WorkerHarness.WaitUntilAsync(() => Task.FromResult(worker.Of(AuditDecision.Escalated).Any(r => r.Guard == GuardNames.Breaker)), Patience, "the breaker opened");
        _aws.Front.Outcome = "Success";
        var later = TestEvents.Drift(8204);
        await _aws.Sqs.SendMessageAsync(queue, later);
        await WorkerHarness.WaitUntilAsync(async () => worker.Count(AuditDecision.Succeeded) == 1 && await _aws.CountAsync(queue) == 0, Patience, "the deferred event remediated after the breaker closed");

        var eventId = (string)JsonNode.Parse(later)!["id"]!;
        var deferred = worker.Of(AuditDecision.Deferred).Where(r => r.EventId == eventId).ToList();
        Assert.NotEmpty(deferred);
        Assert.All(deferred, r => Assert.Equal(GuardNames.Breaker, r.Guard));
        Assert.Equal(eventId, Assert.Single(worker.Of(AuditDecision.Succeeded)).EventId);
        Assert.Equal(0, await _aws.CountAsync(deadLetter));
    }

    [Fact]
    public async Task Run_EventCarryingOurOwnToken_EscalatedWithCausedByAndNoSecondRun()
    {
        var (queue, _) = await _aws.CreateQueuesAsync("loop");
        _aws.Front.Outcome = "Failed";
        var first = JsonNode.Parse(TestEvents.Sample("cfn-stack-update-rollback-failed.json"))!.AsObject();
        first["id"] = Guid.NewGuid().ToString();
        await using var worker = new WorkerHarness(_aws, queue);
        await worker.StartAsync();
        await _aws.Sqs.SendMessageAsync(queue, first.ToJsonString());
        await WorkerHarness.WaitUntilAsync(() => Task.FromResult(worker.Count(AuditDecision.Failed) == 1), Patience, "the first run failed");
        var executionId = Assert.Single(worker.Of(AuditDecision.Failed)).ExecutionId!;
        var runs = _aws.Front.Runs.Count;

        // The stack fails again because of our own ContinueUpdateRollback: its event carries our token.
        var caused = first.DeepClone().AsObject();
        caused["id"] = Guid.NewGuid().ToString();
        caused["detail"]!["client-request-token"] = SsmFront.CausedToken(executionId);
        await _aws.Sqs.SendMessageAsync(queue, caused.ToJsonString());
        await WorkerHarness.WaitUntilAsync(async () => worker.Of(AuditDecision.Escalated).Any(r => r.Guard == GuardNames.Loop) && await _aws.CountAsync(queue) == 0, Patience, "the loop escalated");

        var records = worker.Audit.Records.Where(r => r.EventId == (string)caused["id"]!).ToList();
        Assert.All(records, r => Assert.Equal(executionId, r.CausedBy));
        Assert.DoesNotContain(records, r => r.Decision is AuditDecision.Starting or AuditDecision.Started);
        Assert.Equal(runs, _aws.Front.Runs.Count);
    }

    [Theory]
    [InlineData(5, 1)]
    [InlineData(20, 0)]
    public async Task Validate_QueueRedrivePolicy_MismatchWithTheLongestLeaseReported(int maxReceiveCount, int exitCode)
    {
        var (queue, _) = await _aws.CreateQueuesAsync($"validate-{maxReceiveCount}", maxReceiveCount);
        var json = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "appsettings.json")))!.AsObject();
        json["Intake"] = new JsonObject { ["Source"] = "Sqs", ["QueueUrl"] = queue };
        json["Aws"] = new JsonObject { ["Region"] = AwsEndpoints.Region, ["Sqs"] = new JsonObject { ["ServiceUrl"] = _aws.Moto.Url } };
        var file = Path.Combine(Path.GetTempPath(), $"rw-validate-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, json.ToJsonString());
        try
        {
            var (exit, output) = await WorkerProcess.RunCommandAsync(Patience, "validate", "--config", file);

            Assert.True(exit == exitCode, $"exit {exit}:\n{output}");
            Assert.Equal(exitCode == 1, output.Contains($"maxReceiveCount {maxReceiveCount}", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static Dictionary<string, string?> Overrides(params (string Key, string Value)[] settings)
    {
        var overrides = new Dictionary<string, string?>(StringComparer.Ordinal) { ["Intake:Sqs:MaxDeferralDelay"] = "00:00:01" };
        foreach (var (key, value) in settings)
        {
            overrides[key] = value;
        }

        return overrides;
    }
}
