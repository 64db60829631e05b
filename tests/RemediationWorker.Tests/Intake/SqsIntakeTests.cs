using System.Net;
using Amazon.Runtime;
using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using Polly;
using RemediationWorker.Intake;
using RemediationWorker.Tests.Audit;
using RemediationWorker.Tests.Execution;
using RemediationWorker.Tests.TestSupport;

namespace RemediationWorker.Tests.Intake;

public sealed class SqsIntakeTests
{
    private const string QueueUrl = "http://127.0.0.1:4566/000000000000/remediation-events";
    private readonly IAmazonSQS _sqs = Substitute.For<IAmazonSQS>();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 5, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData(1, 30)]
    [InlineData(2, 60)]
    [InlineData(4, 240)]
    [InlineData(7, 900)]
    [InlineData(1000, 900)]
    public void RetryVisibility_ReceiveCount_DoublesUpToCap(int receiveCount, int expectedSeconds)
        => Assert.Equal(
            TimeSpan.FromSeconds(expectedSeconds),
            SqsCompleter.RetryVisibility(receiveCount, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(15)));

    [Fact]
    public async Task Stop_WhileThePollerWaitsOutAFailedReceive_RunsTheWholeShutdown()
    {
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _sqs.GetQueueAttributesAsync(Arg.Any<GetQueueAttributesRequest>(), Arg.Any<CancellationToken>()).Returns(new GetQueueAttributesResponse { Attributes = [] });
        _sqs.ReceiveMessageAsync(Arg.Any<ReceiveMessageRequest>(), Arg.Any<CancellationToken>()).Returns<ReceiveMessageResponse>(_ =>
        {
            received.TrySetResult();
            throw new AmazonSQSException("We encountered an internal error", ErrorType.Receiver, "InternalError", "req-1", HttpStatusCode.InternalServerError);
        });
        var logger = new CapturingLogger<SqsIntakeService>();
        await using var worker = new WorkerFixture(
            TestConfiguration.Shipped(new Dictionary<string, string?> { ["Intake:Source"] = "Sqs", ["Intake:QueueUrl"] = QueueUrl }),
            edges: s => s.AddSingleton(new Lazy<IAmazonSQS>(() => _sqs)).AddSingleton<ILogger<SqsIntakeService>>(logger));
        using var sut = ActivatorUtilities.CreateInstance<SqsIntakeService>(worker.Get<IServiceProvider>());

        await sut.StartAsync(CancellationToken.None);
        await received.Task.WaitAsync(TimeSpan.FromSeconds(30), TimeProvider.System);
        await sut.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30), TimeProvider.System); // the back-off waits on fake time

        Assert.Equal(TaskStatus.RanToCompletion, sut.ExecuteTask!.Status);
        Assert.Equal([1105, 1102, 1103], logger.Entries.Select(e => e.EventId.Id).Where(id => id is 1105 or 1102 or 1103));
    }

    [Fact]
    public async Task DeleteBatcher_TwelveHandled_TwoBatchesAndFailedEntriesSurvived()
    {
        var sent = new List<DeleteMessageBatchRequest>();
        _sqs.DeleteMessageBatchAsync(Arg.Do<DeleteMessageBatchRequest>(sent.Add), Arg.Any<CancellationToken>())
            .Returns(new DeleteMessageBatchResponse { Failed = [new BatchResultErrorEntry { Id = "3", Code = "ReceiptHandleIsInvalid", SenderFault = true }] });
        var sut = new SqsDeleteBatcher(_sqs, QueueUrl, TimeSpan.FromMilliseconds(200), ResiliencePipeline.Empty, _time, NullLogger.Instance);

        for (var i = 0; i < 12; i++)
        {
            sut.Enqueue(new Message { MessageId = $"m-{i}", ReceiptHandle = $"rh-{i}" });
        }

        sut.Complete();
        await sut.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10), TimeProvider.System);

        Assert.Equal([10, 2], sent.Select(r => r.Entries.Count));
        Assert.All(sent, r => Assert.Equal(QueueUrl, r.QueueUrl));
        Assert.Equal("rh-10", sent[1].Entries[0].ReceiptHandle);
    }

    [Fact]
    public async Task ReceiveSlots_PollersWaitingTogether_OneGathersAWholeBatch()
    {
        // Two slots, batches of two, three pollers: the first receives; the other two wait while its messages are
        // handled one by one. The two freed slots must make one batch, not half a batch each with nothing left in work.
        using var sut = new SqsReceiveSlots(2);
        await sut.TakeBatchAsync(2, CancellationToken.None);
        var second = sut.TakeBatchAsync(2, CancellationToken.None);
        var third = sut.TakeBatchAsync(2, CancellationToken.None);

        sut.Release();
        sut.Release();
        await second.WaitAsync(TimeSpan.FromSeconds(5), TimeProvider.System);

        Assert.False(third.IsCompleted);
        sut.Release(2); // the second batch handled
        await third.WaitAsync(TimeSpan.FromSeconds(5), TimeProvider.System);
    }

    [Fact]
    public async Task ReceiveSlots_CancelledWhileGathering_HoldsNone()
    {
        using var sut = new SqsReceiveSlots(3);
        await sut.TakeBatchAsync(2, CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var gathering = sut.TakeBatchAsync(2, stop.Token); // holds the one free slot, waits for another

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gathering);
        sut.Release(2);

        await sut.TakeBatchAsync(3, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5), TimeProvider.System); // all three free again
    }

    [Fact]
    public async Task Heartbeat_HeldMessageNearExpiry_ExtendsOnlyThatOne()
    {
        _sqs.ChangeMessageVisibilityBatchAsync(Arg.Any<ChangeMessageVisibilityBatchRequest>(), Arg.Any<CancellationToken>())
            .Returns(new ChangeMessageVisibilityBatchResponse());
        var sut = new SqsVisibilityHeartbeat(_sqs, QueueUrl, TimeSpan.FromSeconds(60), _time, NullLogger.Instance);
        var old = new SqsWork(new Message { MessageId = "old", ReceiptHandle = "rh-old" }, _time.GetUtcNow() + TimeSpan.FromSeconds(60));
        sut.Hold(old);
        _time.Advance(TimeSpan.FromSeconds(40));
        var fresh = new SqsWork(new Message { MessageId = "fresh", ReceiptHandle = "rh-fresh" }, _time.GetUtcNow() + TimeSpan.FromSeconds(60));
        sut.Hold(fresh);

        await sut.RenewDueAsync(CancellationToken.None);

        await _sqs.Received(1).ChangeMessageVisibilityBatchAsync(
            Arg.Is<ChangeMessageVisibilityBatchRequest>(r => r.Entries.Count == 1 && r.Entries[0].ReceiptHandle == "rh-old" && r.Entries[0].VisibilityTimeout == 60),
            Arg.Any<CancellationToken>());
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(60), old.VisibleAt);
    }

    [Fact]
    public async Task Heartbeat_EntryRefused_KeepsOldDeadline()
    {
        _sqs.ChangeMessageVisibilityBatchAsync(Arg.Any<ChangeMessageVisibilityBatchRequest>(), Arg.Any<CancellationToken>())
            .Returns(new ChangeMessageVisibilityBatchResponse { Failed = [new BatchResultErrorEntry { Id = "0", Code = "ReceiptHandleIsInvalid" }] });
        var sut = new SqsVisibilityHeartbeat(_sqs, QueueUrl, TimeSpan.FromSeconds(60), _time, NullLogger.Instance);
        var deadline = _time.GetUtcNow() + TimeSpan.FromSeconds(10);
        var work = new SqsWork(new Message { MessageId = "m", ReceiptHandle = "rh" }, deadline);
        sut.Hold(work);

        await sut.RenewDueAsync(CancellationToken.None);

        Assert.Equal(deadline, work.VisibleAt);
    }

    [Fact]
    public void SqsWork_ReceiveCountAttribute_IsRead()
    {
        var work = new SqsWork(new Message { MessageId = "m", Body = "{}", Attributes = new Dictionary<string, string> { ["ApproximateReceiveCount"] = "3" } }, _time.GetUtcNow());

        Assert.Equal(3, work.ReceiveCount);
        Assert.Equal("sqs:m", work.ToIncoming().Name);
    }

    [Fact]
    public void SqsWork_AwsTraceHeader_ContinuesThatTrace()
    {
        var message = new Message
        {
            MessageId = "m",
            Body = "{}",
            Attributes = new Dictionary<string, string> { ["AWSTraceHeader"] = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1" },
        };

        var parent = new SqsWork(message, _time.GetUtcNow()).ToIncoming().TraceParent;

        Assert.Equal("5759e988bd862e3fe1be46a994272793", parent.TraceId.ToHexString());
        Assert.Equal("53995c3f42cd8ad8", parent.SpanId.ToHexString());
        Assert.True(parent.IsRemote);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Root=not-a-trace")]
    public void SqsWork_NoUsableTraceHeader_StartsANewTrace(string? header)
    {
        var message = new Message { MessageId = "m", Body = "{}", Attributes = header is null ? null : new Dictionary<string, string> { ["AWSTraceHeader"] = header } };

        Assert.Equal(default, new SqsWork(message, _time.GetUtcNow()).ToIncoming().TraceParent);
    }

    [Fact]
    public void AwsErrors_QueueDoesNotExist_IsFatal()
        => Assert.True(RemediationWorker.Aws.AwsErrors.IsFatal(new QueueDoesNotExistException("The specified queue does not exist.") { ErrorCode = "AWS.SimpleQueueService.NonExistentQueue" }));

    [Fact]
    public void AwsErrors_Throttled_IsTransientNotFatal()
    {
        var throttled = AwsTestErrors.Throttled();

        Assert.True(RemediationWorker.Aws.AwsErrors.IsTransient(throttled));
        Assert.False(RemediationWorker.Aws.AwsErrors.IsFatal(throttled));
    }
}
