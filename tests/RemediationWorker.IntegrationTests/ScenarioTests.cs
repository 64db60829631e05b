using Amazon.SQS.Model;
using Microsoft.Extensions.DependencyInjection;
using RemediationWorker.Audit;
using RemediationWorker.Diagnostics;
using RemediationWorker.Testing;

namespace RemediationWorker.IntegrationTests;

/// <summary>End to end on real wire protocols: the worker reads a moto queue through the real SQS client and starts
/// runbooks at the SSM front through the real SSM client. Each scenario checks the audit and the queue after.</summary>
[Collection(AwsScenarios.Name)]
public sealed class ScenarioTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(40);
    private readonly AwsEndpoints _aws;

    public ScenarioTests(AwsFixture fixture)
    {
        var aws = fixture.Aws;
        _aws = aws;
        aws.Front.StartRate = 0;
        aws.Front.Down = false;
        aws.Front.Outcome = "Success";
        aws.Front.PollsToFinish = 1;
    }

    [Fact]
    public async Task Run_ThreeFaults_EachRemediatedAndDeleted()
    {
        var (queue, _) = await _aws.CreateQueuesAsync("three-faults");
        string[] samples = ["cfn-drift-detected.json", "cfn-stack-update-rollback-failed.json", "codebuild-failed-provisioning.json"];
        foreach (var sample in samples)
        {
            await _aws.Sqs.SendMessageAsync(queue, TestEvents.Sample(sample));
        }

        await using var worker = new WorkerHarness(_aws, queue);
        using var metrics = new MetricRecorder(worker.Services.GetRequiredService<WorkerMetrics>().Meter);
        await worker.StartAsync();
        await WorkerHarness.WaitUntilAsync(async () => worker.Of(AuditDecision.Succeeded).Count() == 3 && await _aws.CountAsync(queue) == 0, Patience, "three remediations and an empty queue");

        Assert.Equal(3, worker.Of(AuditDecision.Started).Select(r => r.ExecutionId).Distinct().Count());
        Assert.Equal(3, worker.Of(AuditDecision.Succeeded).Select(r => r.Playbook).Distinct().Count());
        // The real clients are counted at the SDK: every start, every receive; and the poll loop beat for `health`.
        Assert.Equal(3, metrics.Sum("remediation.ssm.calls", ("operation", "StartAutomationExecution"), ("result", "ok")));
        Assert.True(metrics.Sum("remediation.sqs.calls", ("operation", "ReceiveMessage"), ("result", "ok")) >= 1);
        Assert.True(metrics.Sum("remediation.ssm.calls", ("operation", "GetAutomationExecution"), ("result", "ok")) >= 3);
        Assert.True(File.Exists(worker.HeartbeatPath), "the SQS poll loop writes the heartbeat");
    }

    [Fact]
    public async Task Run_DuplicateDelivery_StartsOneRun()
    {
        var (queue, _) = await _aws.CreateQueuesAsync("duplicate");
        var body = TestEvents.Drift(9001);
        await _aws.Sqs.SendMessageAsync(queue, body);
        await _aws.Sqs.SendMessageAsync(queue, body);
        var runsBefore = _aws.Front.Runs.Count;

        await using var worker = new WorkerHarness(_aws, queue);
        await worker.StartAsync();
        await WorkerHarness.WaitUntilAsync(async () => await _aws.CountAsync(queue) == 0 && worker.Of(AuditDecision.Succeeded).Any(), Patience, "both copies handled");

        Assert.Equal(runsBefore + 1, _aws.Front.Runs.Count);
        Assert.Single(worker.Of(AuditDecision.Started).Select(r => r.ExecutionId).Distinct());
    }

    [Fact]
    public async Task Run_PoisonMessage_ForwardedToDeadLetterQueueAndAuditedRejected()
    {
        var (queue, deadLetter) = await _aws.CreateQueuesAsync("poison");
        await _aws.Sqs.SendMessageAsync(queue, TestEvents.Sample("malformed-not-json.json"));

        await using var worker = new WorkerHarness(_aws, queue);
        await worker.StartAsync();
        await WorkerHarness.WaitUntilAsync(async () => await _aws.CountAsync(queue) == 0 && await _aws.CountAsync(deadLetter) == 1, Patience, "the poison message in the dead-letter queue");

        var dead = await _aws.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = deadLetter, MessageAttributeNames = ["All"] });
        Assert.Equal(TestEvents.Sample("malformed-not-json.json"), Assert.Single(dead.Messages).Body);
        Assert.Contains("remediation-rejected-reason", dead.Messages[0].MessageAttributes.Keys);
        Assert.Single(worker.Of(AuditDecision.Rejected));
    }

    [Fact]
    public async Task Run_ThrottlingStorm_EveryEventCompletes()
    {
        var (queue, _) = await _aws.CreateQueuesAsync("storm");
        _aws.Front.StartRate = 10;
        _aws.Front.StartBurst = 2;
        var callsBefore = _aws.Front.StartCalls;
        var throttledBefore = _aws.Front.Throttled;
        const int events = 40;
        for (var i = 0; i < events; i += 10)
        {
            await _aws.Sqs.SendMessageBatchAsync(queue, Enumerable.Range(i, 10).Select(n => new SendMessageBatchRequestEntry($"e{n}", TestEvents.Drift(n))).ToList());
        }

        await using var worker = new WorkerHarness(_aws, queue, new Dictionary<string, string?> { ["Intake:Sqs:Handlers"] = "16" });
        using var metrics = new MetricRecorder(worker.Services.GetRequiredService<WorkerMetrics>().Meter);
        await worker.StartAsync();
        await WorkerHarness.WaitUntilAsync(async () => worker.Of(AuditDecision.Succeeded).Count() == events && await _aws.CountAsync(queue) == 0, Patience, "every event remediated");

        var calls = _aws.Front.StartCalls - callsBefore;
        // The adaptive limiter overshoots once (slow start from 20/s) and then keeps to the front's rate.
        Assert.InRange(calls, events, events * 2);
        // Each refused start is counted as a throttle, as the front saw it.
        Assert.Equal(throttledBefore + metrics.Sum("remediation.aws.throttles", ("service", "ssm"), ("operation", "StartAutomationExecution")), _aws.Front.Throttled);
    }

    [Fact]
    public async Task Run_SsmDownForAScaledMinuteAndBack_EveryEventCompletes()
    {
        var (queue, _) = await _aws.CreateQueuesAsync("outage");
        _aws.Front.Down = true;
        for (var n = 100; n < 105; n++)
        {
            await _aws.Sqs.SendMessageAsync(queue, TestEvents.Drift(n));
        }

        await using var worker = new WorkerHarness(_aws, queue);
        await worker.StartAsync();
        await Task.Delay(TimeSpan.FromSeconds(3), TimeProvider.System); // the scaled "minute" (timings are scaled by 1/20)
        _aws.Front.Down = false;
        await WorkerHarness.WaitUntilAsync(async () => worker.Of(AuditDecision.Succeeded).Count() == 5 && await _aws.CountAsync(queue) == 0, Patience, "every event remediated after the outage");

        Assert.Empty(worker.Of(AuditDecision.Failed));
    }

    [Fact]
    public async Task Run_StoppedWithWorkInFlight_HandsBackWithinGraceAndRestartFinishesWithoutSecondRun()
    {
        var (queue, _) = await _aws.CreateQueuesAsync("sigterm");
        _aws.Front.Outcome = "Never";
        await _aws.Sqs.SendMessageAsync(queue, TestEvents.Drift(7001));
        await _aws.Sqs.SendMessageAsync(queue, TestEvents.Drift(7002));
        var runsBefore = _aws.Front.Runs.Count;

        var first = new WorkerHarness(_aws, queue);
        await first.StartAsync();
        await WorkerHarness.WaitUntilAsync(() => Task.FromResult(first.Of(AuditDecision.Started).Count() == 2), Patience, "two runs started");
        var stopping = TimeProvider.System.GetTimestamp();
        await first.StopAsync(); // what SIGTERM does through the host's console lifetime
        var stopTook = TimeProvider.System.GetElapsedTime(stopping);
        await first.DisposeAsync();

        Assert.InRange(stopTook, TimeSpan.Zero, TimeSpan.FromSeconds(3 + 2)); // grace 3 s, then handed back
        Assert.True(first.Audit.FlushedCount > 0);
        Assert.Empty(first.Of(AuditDecision.Succeeded));
        var visible = await _aws.Sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = queue, AttributeNames = ["ApproximateNumberOfMessages"] });
        Assert.Equal("2", visible.Attributes["ApproximateNumberOfMessages"]); // visible again at once

        // A replica (or the restarted worker) takes them: the same ClientToken finds the same runs.
        _aws.Front.FinishStuckRuns("Success");
        await using var second = new WorkerHarness(_aws, queue);
        await second.StartAsync();
        await WorkerHarness.WaitUntilAsync(async () => second.Of(AuditDecision.Succeeded).Count() == 2 && await _aws.CountAsync(queue) == 0, Patience, "both events finished after the restart");

        Assert.Equal(runsBefore + 2, _aws.Front.Runs.Count);
        Assert.Equal(
            first.Of(AuditDecision.Started).Select(r => r.ExecutionId).Order(),
            second.Of(AuditDecision.Started).Select(r => r.ExecutionId).Order());
    }

    [Fact]
    public async Task Run_RunbooksKeepFailing_BreakerEscalatesOneOpsItemWithDedupKey()
    {
        var (queue, _) = await _aws.CreateQueuesAsync("escalation");
        _aws.Front.Outcome = "Failed";
        var opsItemsBefore = _aws.Front.OpsItems.Count;
        for (var n = 8001; n <= 8003; n++)
        {
            await _aws.Sqs.SendMessageAsync(queue, TestEvents.Drift(n));
        }

        // One handler: the three failures come one after the other, so the third opens the breaker.
        await using var worker = new WorkerHarness(_aws, queue, new Dictionary<string, string?> { ["Intake:Sqs:Handlers"] = "1" });
        await worker.StartAsync();
        await WorkerHarness.WaitUntilAsync(async () => worker.Count(AuditDecision.Escalated) == 1 && await _aws.CountAsync(queue) == 0, Patience, "the breaker's escalation");
        await WorkerHarness.WaitUntilAsync(() => Task.FromResult(_aws.Front.OpsItems.Count == opsItemsBefore + 1), Patience, "the OpsItem");

        Assert.Equal(3, worker.Count(AuditDecision.Failed));
        var item = _aws.Front.OpsItems[^1];
        Assert.Equal("RemediationWorker", (string?)item["Source"]);
        Assert.Contains("remediation:stack-drift-revert:", (string?)item["OperationalData"]!["/aws/dedup"]!["Value"], StringComparison.Ordinal);
        Assert.Contains("executionIds", (string?)item["OperationalData"]!["remediation:attempts"]!["Value"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_QueueDoesNotExist_StopsTheWorkerSayingWhatToFix()
    {
        var missing = _aws.Moto.Url + "/123456789012/no-such-queue";

        await using var worker = new WorkerHarness(_aws, missing);
        await worker.StartAsync();
        var intake = worker.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<RemediationWorker.Intake.SqsIntakeService>().Single();
        var lifetime = worker.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>();

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => intake.ExecuteTask!.WaitAsync(Patience, TimeProvider.System));
        Assert.Contains("Check Intake:QueueUrl", ex.Message, StringComparison.Ordinal);
        await WorkerHarness.WaitUntilAsync(() => Task.FromResult(lifetime.ApplicationStopping.IsCancellationRequested), Patience, "the host stopping");
    }
}
