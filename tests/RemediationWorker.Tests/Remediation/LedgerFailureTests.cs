using System.Net;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Microsoft.Extensions.DependencyInjection;
using NSubstitute;
using RemediationWorker.Audit;
using RemediationWorker.Guards;
using RemediationWorker.Intake;
using RemediationWorker.Remediation;
using RemediationWorker.Tests.TestSupport;

namespace RemediationWorker.Tests.Remediation;

/// <summary>When the shared ledger cannot answer, nothing starts and nothing is dropped: the event is audited as
/// deferred and handed back for redelivery.</summary>
public sealed class LedgerFailureTests
{
    private readonly IAmazonDynamoDB _dynamoDb = Substitute.For<IAmazonDynamoDB>();

    [Fact]
    public async Task ProcessAsync_LedgerThrottled_DeferredForRedeliveryAndAudited()
    {
        _dynamoDb.BatchGetItemAsync(Arg.Any<BatchGetItemRequest>(), Arg.Any<CancellationToken>())
            .Returns<BatchGetItemResponse>(_ => throw new AmazonDynamoDBException("Throughput exceeds the current capacity", ErrorType.Sender, "ProvisionedThroughputExceededException", "req-1", HttpStatusCode.BadRequest));
        await using var worker = Worker();

        var result = await ProcessAdvancingAsync(worker);

        Assert.Equal(EventOutcome.RetryLater, result.Outcome);
        var deferred = Assert.Single(worker.Audit.Of(AuditDecision.Deferred));
        Assert.Equal(GuardNames.Ledger, deferred.Guard);
        Assert.StartsWith("the ledger is unavailable, nothing was started; the event waits for redelivery (DynamoDB BatchGetItem", deferred.Reason, StringComparison.Ordinal);
        Assert.Empty(worker.Audit.Of(AuditDecision.Planned));
        await _dynamoDb.DidNotReceive().TransactWriteItemsAsync(Arg.Any<TransactWriteItemsRequest>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task ProcessAsync_LedgerFailsOnlyAfterTheRun_RunStandsAndEventIsHandled()
    {
        _dynamoDb.BatchGetItemAsync(Arg.Any<BatchGetItemRequest>(), Arg.Any<CancellationToken>()).Returns(new BatchGetItemResponse());
        var transactions = 0;
        _dynamoDb.TransactWriteItemsAsync(Arg.Any<TransactWriteItemsRequest>(), Arg.Any<CancellationToken>()).Returns(_ => ++transactions == 1
            ? new TransactWriteItemsResponse()
            : throw new AmazonDynamoDBException("We encountered an internal error", ErrorType.Receiver, "InternalServerError", "req-2", HttpStatusCode.InternalServerError));
        await using var worker = Worker();

        var result = await ProcessAdvancingAsync(worker);

        Assert.Equal(EventOutcome.Handled, result.Outcome);
        Assert.Single(worker.Audit.Of(AuditDecision.Planned));
        Assert.Empty(worker.Audit.Of(AuditDecision.Deferred));
    }

    /// <summary>Moves fake time on while the pipeline backs off (Polly's ExecuteAndAdvance).</summary>
    private static async Task<EventResult> ProcessAdvancingAsync(WorkerFixture worker)
    {
        var running = worker.ProcessAsync(TestEvents.Sample("cfn-stack-update-rollback-failed.json")).AsTask();
        while (!running.IsCompleted)
        {
            worker.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Yield();
        }

        return await running;
    }

    private WorkerFixture Worker() => new(
        TestConfiguration.Shipped(new Dictionary<string, string?>
        {
            ["Ledger:Store"] = "DynamoDb",
            ["Ledger:TableName"] = "remediation-ledger",
            ["Aws:Resilience:MaxRetryAttempts"] = "1",
        }),
        edges: services => services.AddSingleton(_dynamoDb));
}
