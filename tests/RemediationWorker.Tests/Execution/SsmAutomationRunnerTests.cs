using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using RemediationWorker.Execution;

namespace RemediationWorker.Tests.Execution;

public sealed class SsmAutomationRunnerTests : IDisposable
{
    private readonly ExecutionTestHost _host = new();

    private IAmazonSimpleSystemsManagement Ssm => _host.Ssm;

    [Fact]
    public async Task StartAsync_Plan_SendsDocumentRoleParametersTokenAndTags()
    {
        StartAutomationExecutionRequest? sent = null;
        Ssm.StartAutomationExecutionAsync(Arg.Do<StartAutomationExecutionRequest>(r => sent = r), Arg.Any<CancellationToken>())
            .Returns(new StartAutomationExecutionResponse { AutomationExecutionId = ExecutionTestHost.ExecutionId });
        var plan = ExecutionTestHost.Plan();

        var start = await _host.Runner.StartAsync(plan, CancellationToken.None);

        Assert.Equal(ExecutionTestHost.ExecutionId, start.ExecutionId);
        Assert.NotNull(sent);
        Assert.Equal(plan.DocumentName, sent.DocumentName);
        Assert.Equal(["arn:aws:iam::111122223333:role/remediation-runbook"], sent.Parameters["AutomationAssumeRole"]);
        Assert.Equal([plan.Resource], sent.Parameters["StackName"]);
        Assert.Equal(ClientTokens.For(plan.EventId, plan.PlaybookId), sent.ClientToken);
        Assert.Contains(sent.Tags, t => t.Key == SsmAutomationRunner.EventIdTag && t.Value == plan.EventId);
        Assert.Contains(sent.Tags, t => t.Key == SsmAutomationRunner.PlaybookTag && t.Value == plan.PlaybookId);
        Assert.True(sent.Tags.Count <= 5);
    }

    [Fact]
    public async Task StartAsync_ThrottledOnce_RetriesAndReturnsExecutionId()
    {
        Ssm.StartAutomationExecutionAsync(Arg.Any<StartAutomationExecutionRequest>(), Arg.Any<CancellationToken>())
            .Returns(
                _ => Task.FromException<StartAutomationExecutionResponse>(AwsTestErrors.Throttled()),
                _ => Task.FromResult(new StartAutomationExecutionResponse { AutomationExecutionId = ExecutionTestHost.ExecutionId }));
        var rateBefore = _host.Limiter.CurrentRate;

        var start = await _host.AdvanceUntilDoneAsync(_host.Runner.StartAsync(ExecutionTestHost.Plan(), CancellationToken.None).AsTask(), TimeSpan.FromMilliseconds(100));

        Assert.Equal(ExecutionTestHost.ExecutionId, start.ExecutionId);
        await Ssm.Received(2).StartAutomationExecutionAsync(Arg.Any<StartAutomationExecutionRequest>(), Arg.Any<CancellationToken>());
        Assert.True(_host.Limiter.CurrentRate < rateBefore + 1, "a throttle must cut the rate it had reached");
    }

    [Fact]
    public async Task StartAsync_LineLongerThanTheAttemptTimeout_WaitsWithoutTimingOut()
    {
        // One start a second, a one-second attempt timeout and no retries: the fifth start waits four seconds for
        // its permit, and waiting in line must not count as an attempt that timed out.
        using var host = new ExecutionTestHost(new Dictionary<string, string?>
        {
            ["Aws:Automation:InitialStartRate"] = "1",
            ["Aws:Automation:MaxStartRate"] = "1",
            ["Aws:Resilience:AttemptTimeout"] = "00:00:01",
            ["Aws:Resilience:MaxRetryAttempts"] = "0",
        });
        host.Ssm.StartAutomationExecutionAsync(Arg.Any<StartAutomationExecutionRequest>(), Arg.Any<CancellationToken>())
            .Returns(new StartAutomationExecutionResponse { AutomationExecutionId = ExecutionTestHost.ExecutionId });
        var started = host.Time.GetUtcNow();

        var starts = Enumerable.Range(0, 5)
            .Select(i => host.Runner.StartAsync(ExecutionTestHost.Plan($"6a7e8feb-b491-4cf7-a9f1-bf370346771{i}"), CancellationToken.None).AsTask())
            .ToList();
        await host.AdvanceUntilDoneAsync(Task.WhenAll(starts).ContinueWith(_ => true, TaskScheduler.Default), TimeSpan.FromMilliseconds(100));

        Assert.All(starts, s => Assert.Equal(ExecutionTestHost.ExecutionId, s.Result.ExecutionId));
        // The permits of 0-4 s; the clock moves in 0.1 s steps while the runner catches up (slower on a loaded
        // machine), so the end is bounded by the next permit's time, not by a step count.
        Assert.InRange((host.Time.GetUtcNow() - started).TotalSeconds, 4, 4.99);
        await host.Ssm.Received(5).StartAutomationExecutionAsync(Arg.Any<StartAutomationExecutionRequest>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task StartAsync_ServerErrorsOutlastRetries_ThrowsDeferred()
    {
        Ssm.StartAutomationExecutionAsync(Arg.Any<StartAutomationExecutionRequest>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(AwsTestErrors.ServerError());

        var running = _host.Runner.StartAsync(ExecutionTestHost.Plan(), CancellationToken.None).AsTask();

        await Assert.ThrowsAsync<AutomationStartDeferredException>(() => _host.AdvanceUntilDoneAsync(running, TimeSpan.FromMilliseconds(500)));
        await Ssm.Received(4).StartAutomationExecutionAsync(Arg.Any<StartAutomationExecutionRequest>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task StartAsync_AccessDenied_ThrowsWithoutRetry()
    {
        Ssm.StartAutomationExecutionAsync(Arg.Any<StartAutomationExecutionRequest>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(AwsTestErrors.AccessDenied());

        await Assert.ThrowsAsync<AmazonSimpleSystemsManagementException>(() => _host.Runner.StartAsync(ExecutionTestHost.Plan(), CancellationToken.None).AsTask());
        await Ssm.Received(1).StartAutomationExecutionAsync(Arg.Any<StartAutomationExecutionRequest>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task StartAsync_IdempotentParameterMismatch_ReturnsExistingExecution()
    {
        Ssm.StartAutomationExecutionAsync(Arg.Any<StartAutomationExecutionRequest>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new IdempotentParameterMismatchException("parameters differ"));
        DescribeAutomationExecutionsRequest? query = null;
        Ssm.DescribeAutomationExecutionsAsync(Arg.Do<DescribeAutomationExecutionsRequest>(r => query = r), Arg.Any<CancellationToken>())
            .Returns(new DescribeAutomationExecutionsResponse { AutomationExecutionMetadataList = [new AutomationExecutionMetadata { AutomationExecutionId = ExecutionTestHost.OtherExecutionId }] });
        var plan = ExecutionTestHost.Plan();

        var start = await _host.Runner.StartAsync(plan, CancellationToken.None);

        Assert.Equal(ExecutionTestHost.OtherExecutionId, start.ExecutionId);
        Assert.Equal(SsmAutomationRunner.TokenTagPrefix + ClientTokens.For(plan.EventId, plan.PlaybookId), Assert.Single(Assert.Single(query!.Filters).Values));
    }

    [Fact]
    public async Task StartAsync_QueueFull_PausesEveryStartThenStartsOnce()
    {
        Ssm.StartAutomationExecutionAsync(Arg.Any<StartAutomationExecutionRequest>(), Arg.Any<CancellationToken>())
            .Returns(
                _ => Task.FromException<StartAutomationExecutionResponse>(new AutomationExecutionLimitExceededException("queue full")),
                _ => Task.FromResult(new StartAutomationExecutionResponse { AutomationExecutionId = ExecutionTestHost.ExecutionId }));

        var first = _host.Runner.StartAsync(ExecutionTestHost.Plan(), CancellationToken.None).AsTask();
        await ExecutionTestHost.Settle(first);
        _host.Time.Advance(TimeSpan.FromSeconds(29));
        var second = _host.Runner.StartAsync(ExecutionTestHost.Plan("0b9f7d6e-2c1a-4e3f-8a7b-6c5d4e3f2a1b"), CancellationToken.None).AsTask();
        await ExecutionTestHost.Settle(second);

        Assert.False(first.IsCompleted);
        Assert.False(second.IsCompleted);
        await Ssm.Received(1).StartAutomationExecutionAsync(Arg.Any<StartAutomationExecutionRequest>(), Arg.Any<CancellationToken>());

        await _host.AdvanceUntilDoneAsync(first, TimeSpan.FromMilliseconds(100));
        await _host.AdvanceUntilDoneAsync(second, TimeSpan.FromMilliseconds(100));
        await Ssm.Received(3).StartAutomationExecutionAsync(Arg.Any<StartAutomationExecutionRequest>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task WaitForCompletionAsync_InProgressThenSuccess_ReturnsSucceeded()
    {
        SetStatuses("Pending", "InProgress", "InProgress", "Success");

        var result = await _host.AdvanceUntilDoneAsync(_host.Runner.WaitForCompletionAsync(ExecutionTestHost.ExecutionId, CancellationToken.None).AsTask(), TimeSpan.FromSeconds(1));

        Assert.Equal(RunbookStatus.Succeeded, result.Status);
        Assert.Equal("Success", result.StatusText);
        await Ssm.Received(4).GetAutomationExecutionAsync(Arg.Any<GetAutomationExecutionRequest>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task WaitForCompletionAsync_AnsweredPoll_BeatsTheHealthHeartbeatWithTheClock()
    {
        SetStatuses("InProgress", "Success");

        await _host.AdvanceUntilDoneAsync(_host.Runner.WaitForCompletionAsync(ExecutionTestHost.ExecutionId, CancellationToken.None).AsTask(), TimeSpan.FromSeconds(1));

        // A worker whose handlers all track long runs does not poll SQS, yet it is not stuck.
        var beat = DateTimeOffset.Parse(File.ReadAllText(_host.HeartbeatPath), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(beat, _host.Time.GetUtcNow() - TimeSpan.FromMinutes(1), _host.Time.GetUtcNow());
    }

    [Fact]
    public async Task WaitForCompletionAsync_Polls_AtGrowingIntervals()
    {
        var polledAt = new List<DateTimeOffset>();
        var timersAtPoll = 0;
        Ssm.GetAutomationExecutionAsync(Arg.Any<GetAutomationExecutionRequest>(), Arg.Any<CancellationToken>())
            .Returns(_ =>
            {
                polledAt.Add(_host.Time.GetUtcNow());
                timersAtPoll = _host.Timers.TimersCreated;
                return new GetAutomationExecutionResponse { AutomationExecution = new AutomationExecution { AutomationExecutionStatus = polledAt.Count < 5 ? "InProgress" : "Success" } };
            });
        var start = _host.Time.GetUtcNow();
        // Each poll is due 5 s × 1.5ⁿ after the previous one (jitter off). The clock moves only once the runner
        // has armed its next delay, by exactly the expected gap.
        double[] expected = [5, 7.5, 11.25, 16.875, 25.3125];

        var tracking = _host.Runner.WaitForCompletionAsync(ExecutionTestHost.ExecutionId, CancellationToken.None).AsTask();
        foreach (var gap in expected)
        {
            var polls = polledAt.Count;
            var armedBefore = polls == 0 ? 0 : timersAtPoll;
            await WaitForAsync(() => _host.Timers.TimersCreated > armedBefore, "the runner arms its next delay");
            _host.Time.Advance(TimeSpan.FromSeconds(gap));
            await WaitForAsync(() => polledAt.Count > polls || tracking.IsCompleted, "the poll after the delay");
        }

        await tracking.WaitAsync(TimeSpan.FromSeconds(10), TimeProvider.System);
        var gaps = polledAt.Prepend(start).Zip(polledAt, (a, b) => (b - a).TotalSeconds).ToList();
        Assert.Equal(expected, gaps);
    }

    /// <summary>Waits in real time for the runner's continuations (the clock is fake and stands still meanwhile).</summary>
    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!condition())
        {
            Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(10), $"timed out waiting for {what}");
            await Task.Yield();
        }
    }

    [Fact]
    public async Task WaitForCompletionAsync_UnknownStatus_TreatedAsRunning()
    {
        SetStatuses("SomethingNew", "Failed");

        var result = await _host.AdvanceUntilDoneAsync(_host.Runner.WaitForCompletionAsync(ExecutionTestHost.ExecutionId, CancellationToken.None).AsTask(), TimeSpan.FromSeconds(1));

        Assert.Equal(RunbookStatus.Failed, result.Status);
        await Ssm.Received(2).GetAutomationExecutionAsync(Arg.Any<GetAutomationExecutionRequest>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task WaitForCompletionAsync_PollThrottled_KeepsPolling()
    {
        Ssm.GetAutomationExecutionAsync(Arg.Any<GetAutomationExecutionRequest>(), Arg.Any<CancellationToken>())
            .Returns(
                _ => Task.FromException<GetAutomationExecutionResponse>(AwsTestErrors.Throttled()),
                _ => Task.FromResult(new GetAutomationExecutionResponse { AutomationExecution = new AutomationExecution { AutomationExecutionStatus = "TimedOut" } }));

        var result = await _host.AdvanceUntilDoneAsync(_host.Runner.WaitForCompletionAsync(ExecutionTestHost.ExecutionId, CancellationToken.None).AsTask(), TimeSpan.FromSeconds(1));

        Assert.Equal(RunbookStatus.TimedOut, result.Status);
    }

    [Fact]
    public async Task StopAsync_AlreadyEnded_Survives()
    {
        Ssm.StopAutomationExecutionAsync(Arg.Any<StopAutomationExecutionRequest>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new InvalidAutomationStatusUpdateException("already ended"));

        await _host.Runner.StopAsync(ExecutionTestHost.ExecutionId, CancellationToken.None);

        await Ssm.Received(1).StopAutomationExecutionAsync(Arg.Is<StopAutomationExecutionRequest>(r => r.AutomationExecutionId == ExecutionTestHost.ExecutionId), Arg.Any<CancellationToken>());
    }

    public void Dispose() => _host.Dispose();

    private void SetStatuses(params string[] statuses)
    {
        var responses = statuses.Select(s => new GetAutomationExecutionResponse { AutomationExecution = new AutomationExecution { AutomationExecutionStatus = s, FailureMessage = s == "Failed" ? "step failed" : null } }).ToArray();
        Ssm.GetAutomationExecutionAsync(Arg.Any<GetAutomationExecutionRequest>(), Arg.Any<CancellationToken>())
            .Returns(responses[0], responses[1..]);
    }
}
