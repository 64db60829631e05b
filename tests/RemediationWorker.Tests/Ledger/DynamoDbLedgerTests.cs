using System.Net;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using RemediationWorker.Ledger;
using RemediationWorker.Playbooks;

namespace RemediationWorker.Tests.Ledger;

/// <summary>How the DynamoDB ledger reads DynamoDB's answers: a failed condition names its guard and is not
/// retried; contention is retried with the same request; throttling and 5xx past the pipeline's retries make the
/// ledger unavailable. (Its behaviour on the real wire protocol: the ledger contract in the integration tests.)</summary>
public sealed class DynamoDbLedgerTests
{
    private const int Retries = 2;
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);
    private static readonly LimitsOptions Limits = new() { Cooldown = TimeSpan.FromMinutes(20), MaxAttempts = 2, AttemptWindow = TimeSpan.FromHours(6), Timeout = TimeSpan.FromMinutes(30) };
    private static readonly LedgerKey Key = new("e1", "p", "stack-a");

    private readonly IAmazonDynamoDB _dynamoDb = Substitute.For<IAmazonDynamoDB>();
    private readonly FakeTimeProvider _time = new(T0);

    [Fact]
    public async Task ReadAsync_ThrottledPastTheRetries_ThrowsLedgerUnavailable()
    {
        _dynamoDb.BatchGetItemAsync(Arg.Any<BatchGetItemRequest>(), Arg.Any<CancellationToken>()).Returns<BatchGetItemResponse>(_ => throw Error("ProvisionedThroughputExceededException", HttpStatusCode.BadRequest));

        var error = await Assert.ThrowsAsync<LedgerUnavailableException>(() => AdvanceUntilDone(CreateSut().ReadAsync(Key, T0, CancellationToken.None).AsTask()));

        Assert.Contains("BatchGetItem", error.Message, StringComparison.Ordinal);
        await _dynamoDb.Received(1 + Retries).BatchGetItemAsync(Arg.Any<BatchGetItemRequest>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task ReadAsync_UnprocessedKeys_AskedForAgainUntilRead()
    {
        var first = true;
        _dynamoDb.BatchGetItemAsync(Arg.Any<BatchGetItemRequest>(), Arg.Any<CancellationToken>()).Returns(call =>
        {
            var keys = call.Arg<BatchGetItemRequest>().RequestItems["ledger"].Keys;
            var response = first
                ? new BatchGetItemResponse { UnprocessedKeys = new() { ["ledger"] = new KeysAndAttributes { Keys = keys } } }
                : new BatchGetItemResponse { Responses = new() { ["ledger"] = [Claim(keys[0])] } };
            first = false;
            return response;
        });

        var snapshot = await CreateSut().ReadAsync(Key, T0, CancellationToken.None);

        Assert.True(snapshot.Claim!.IsSettled); // a claim without runningUntil: its run finished
        await _dynamoDb.Received(2).BatchGetItemAsync(Arg.Any<BatchGetItemRequest>(), Arg.Any<CancellationToken>());
    }

    public static TheoryData<int, Dictionary<string, AttributeValue>?, string> FailedConditions() => new()
    {
        { 0, StoredClaim(runningUntil: null), nameof(StartConflict.AlreadyClaimed) },
        { 0, StoredClaim(runningUntil: T0.AddMinutes(5)), nameof(StartConflict.RunInProgress) },
        { 1, Leases(("stack-a", T0.AddMinutes(5))), nameof(StartConflict.LeaseHeld) },
        { 1, Leases(("stack-b", T0.AddMinutes(5)), ("stack-c", T0.AddMinutes(5))), nameof(StartConflict.InFlightLimited) },
        { 2, Attempts(windowStart: T0.AddHours(-1), attempts: 2, lastAttempt: T0.AddHours(-1)), nameof(StartConflict.BudgetExhausted) },
        { 2, Attempts(windowStart: T0.AddMinutes(-5), attempts: 1, lastAttempt: T0.AddMinutes(-5)), nameof(StartConflict.CoolingDown) },
        { 3, null, nameof(StartConflict.RateLimited) },
        { 4, null, nameof(StartConflict.BreakerOpen) },
    };

    [Theory]
    [MemberData(nameof(FailedConditions))]
    public async Task TryStartAsync_ConditionFailed_NamesItsGuardWithoutRetrying(int failedItem, Dictionary<string, AttributeValue>? stored, string expected)
    {
        var reasons = Enumerable.Range(0, 5).Select(i => i == failedItem ? new CancellationReason { Code = "ConditionalCheckFailed", Item = stored } : new CancellationReason { Code = "None" }).ToList();
        _dynamoDb.TransactWriteItemsAsync(Arg.Any<TransactWriteItemsRequest>(), Arg.Any<CancellationToken>()).Returns<TransactWriteItemsResponse>(_ => throw Canceled(reasons));

        var conflict = await CreateSut().TryStartAsync(Request(maxInFlight: 2), CancellationToken.None);

        Assert.Equal(expected, conflict.ToString());
        await _dynamoDb.Received(1).TransactWriteItemsAsync(Arg.Any<TransactWriteItemsRequest>(), Arg.Any<CancellationToken>());
    }

    public static TheoryData<bool, int, Dictionary<string, AttributeValue>?, string> FailedTakeoverConditions()
    {
        var data = new TheoryData<bool, int, Dictionary<string, AttributeValue>?, string>();
        foreach (var markTrial in new[] { false, true })
        {
            data.Add(markTrial, 0, StoredClaim(runningUntil: null), nameof(StartConflict.AlreadyClaimed));
            data.Add(markTrial, 0, StoredClaim(runningUntil: T0.AddMinutes(5)), nameof(StartConflict.RunInProgress));
            data.Add(markTrial, 0, null, nameof(StartConflict.RunInProgress));
            data.Add(markTrial, 1, Leases(("stack-a", T0.AddMinutes(5))), nameof(StartConflict.LeaseHeld));
            data.Add(markTrial, 1, Leases(("stack-b", T0.AddMinutes(5)), ("stack-c", T0.AddMinutes(5))), nameof(StartConflict.InFlightLimited));
        }

        return data;
    }

    /// <summary>With the trial mark the transaction has a third item (the breaker): the claim's and the leases'
    /// reasons keep their indexes.</summary>
    [Theory]
    [MemberData(nameof(FailedTakeoverConditions))]
    public async Task TryTakeOverAsync_ConditionFailed_NamesItWithoutRetrying(bool markTrial, int failedItem, Dictionary<string, AttributeValue>? stored, string expected)
    {
        var items = 0;
        _dynamoDb.TransactWriteItemsAsync(Arg.Any<TransactWriteItemsRequest>(), Arg.Any<CancellationToken>()).Returns<TransactWriteItemsResponse>(call =>
        {
            items = call.Arg<TransactWriteItemsRequest>().TransactItems.Count;
            throw Canceled([.. Enumerable.Range(0, items).Select(i => i == failedItem ? new CancellationReason { Code = "ConditionalCheckFailed", Item = stored } : new CancellationReason { Code = "None" })]);
        });

        var conflict = await CreateSut().TryTakeOverAsync(TakeoverRequest(maxInFlight: 2, markTrial), CancellationToken.None);

        Assert.Equal(expected, conflict.ToString());
        Assert.Equal(markTrial ? 3 : 2, items);
        await _dynamoDb.Received(1).TransactWriteItemsAsync(Arg.Any<TransactWriteItemsRequest>(), Arg.Any<CancellationToken>());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TryTakeOverAsync_MarkTrial_OneRequestWithTheTrialMarkAfterClaimAndLeases(bool markTrial)
    {
        var sent = new List<TransactWriteItemsRequest>();
        _dynamoDb.TransactWriteItemsAsync(Arg.Any<TransactWriteItemsRequest>(), Arg.Any<CancellationToken>()).Returns(call =>
        {
            sent.Add(call.Arg<TransactWriteItemsRequest>());
            return new TransactWriteItemsResponse();
        });

        Assert.Equal(StartConflict.None, await CreateSut().TryTakeOverAsync(TakeoverRequest(maxInFlight: 2, markTrial), CancellationToken.None));

        var request = Assert.Single(sent);
        Assert.Equal(KeyOf(LedgerTable.ClaimKey(Key)), KeyOf(request.TransactItems[0].Update.Key));
        Assert.Equal(KeyOf(LedgerTable.LeasesKey()), KeyOf(request.TransactItems[1].Update.Key));
        if (!markTrial)
        {
            Assert.Equal(2, request.TransactItems.Count); // the breaker untouched
            return;
        }

        var breaker = request.TransactItems[2].Update;
        Assert.Equal(KeyOf(LedgerTable.BreakerKey(Key.PlaybookId)), KeyOf(breaker.Key));
        Assert.Null(breaker.ConditionExpression); // never cancels the takeover
        Assert.Equal("SET #trialUntil = :v0, #expiresAt = :v1", breaker.UpdateExpression);
        Assert.Equal(LedgerTable.Number(LedgerTable.Millis(T0 + Limits.Timeout)).N, breaker.ExpressionAttributeValues[":v0"].N); // the new lease's end
        Assert.Equal(LedgerTable.Ttl(T0 + Limits.Timeout + TimeSpan.FromDays(7)).N, breaker.ExpressionAttributeValues[":v1"].N); // + BreakerRetention
    }

    [Fact]
    public async Task TryStartAsync_TransactionConflict_RetriesTheSameRequestThenStarts()
    {
        var tokens = new List<string>();
        var calls = 0;
        _dynamoDb.TransactWriteItemsAsync(Arg.Any<TransactWriteItemsRequest>(), Arg.Any<CancellationToken>()).Returns(call =>
        {
            tokens.Add(call.Arg<TransactWriteItemsRequest>().ClientRequestToken);
            return ++calls == 1
                ? throw Canceled([new() { Code = "None" }, new() { Code = "TransactionConflict" }, new() { Code = "None" }, new() { Code = "None" }, new() { Code = "None" }])
                : new TransactWriteItemsResponse();
        });

        var conflict = await AdvanceUntilDone(CreateSut().TryStartAsync(Request(), CancellationToken.None).AsTask());

        Assert.Equal(StartConflict.None, conflict);
        Assert.Equal(2, tokens.Count);
        Assert.Equal(tokens[0], tokens[1]);
    }

    [Fact]
    public async Task TryStartAsync_AttemptStateChangedButAllows_TriesAgainWithTheStoredState()
    {
        var stored = Attempts(windowStart: T0.AddHours(-1), attempts: 1, lastAttempt: T0.AddHours(-1));
        var conditions = new List<string>();
        _dynamoDb.TransactWriteItemsAsync(Arg.Any<TransactWriteItemsRequest>(), Arg.Any<CancellationToken>()).Returns(call =>
        {
            var put = call.Arg<TransactWriteItemsRequest>().TransactItems[2].Put;
            conditions.Add(put.ConditionExpression);
            return conditions.Count == 1
                ? throw Canceled([new() { Code = "None" }, new() { Code = "None" }, new() { Code = "ConditionalCheckFailed", Item = stored }, new() { Code = "None" }, new() { Code = "None" }])
                : new TransactWriteItemsResponse();
        });

        var conflict = await CreateSut().TryStartAsync(Request(), CancellationToken.None);

        Assert.Equal(StartConflict.None, conflict);
        Assert.Contains("attribute_not_exists", conditions[0], StringComparison.Ordinal); // expected a fresh resource
        Assert.DoesNotContain("attribute_not_exists", conditions[1], StringComparison.Ordinal); // then the stored state
    }

    [Fact]
    public async Task TryStartAsync_ServerErrorsPastTheRetries_ThrowsLedgerUnavailable()
    {
        _dynamoDb.TransactWriteItemsAsync(Arg.Any<TransactWriteItemsRequest>(), Arg.Any<CancellationToken>()).Returns<TransactWriteItemsResponse>(_ => throw Error("InternalServerError", HttpStatusCode.InternalServerError));

        await Assert.ThrowsAsync<LedgerUnavailableException>(() => AdvanceUntilDone(CreateSut().TryStartAsync(Request(), CancellationToken.None).AsTask()));

        await _dynamoDb.Received(1 + Retries).TransactWriteItemsAsync(Arg.Any<TransactWriteItemsRequest>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task TryStartAsync_AccessDenied_ThrowsLedgerUnavailableAtOnce()
    {
        _dynamoDb.TransactWriteItemsAsync(Arg.Any<TransactWriteItemsRequest>(), Arg.Any<CancellationToken>()).Returns<TransactWriteItemsResponse>(_ => throw Error("AccessDeniedException", HttpStatusCode.BadRequest));

        await Assert.ThrowsAsync<LedgerUnavailableException>(() => CreateSut().TryStartAsync(Request(), CancellationToken.None).AsTask());

        await _dynamoDb.Received(1).TransactWriteItemsAsync(Arg.Any<TransactWriteItemsRequest>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task TryMarkEscalatedAsync_ConditionFailed_False()
    {
        _dynamoDb.UpdateItemAsync(Arg.Any<UpdateItemRequest>(), Arg.Any<CancellationToken>()).Returns<UpdateItemResponse>(_ => throw new ConditionalCheckFailedException("The conditional request failed"));

        Assert.False(await CreateSut().TryMarkEscalatedAsync(Key, T0, T0.AddHours(6), CancellationToken.None));
    }

    [Fact]
    public async Task RecordOutcomeAsync_LeaseNoLongerTheOwners_StillFeedsTheBreaker()
    {
        var sent = new List<TransactWriteItemsRequest>();
        _dynamoDb.TransactWriteItemsAsync(Arg.Any<TransactWriteItemsRequest>(), Arg.Any<CancellationToken>()).Returns(call =>
        {
            sent.Add(call.Arg<TransactWriteItemsRequest>());
            return sent.Count == 1
                ? throw Canceled([new() { Code = "ConditionalCheckFailed" }, new() { Code = "None" }, new() { Code = "None" }])
                : new TransactWriteItemsResponse();
        });

        await CreateSut().RecordOutcomeAsync(new OutcomeRequest(Key, "owner-e1", T0, RunOutcome.Succeeded, new BreakerOptions()), CancellationToken.None);

        Assert.Equal(2, sent.Count);
        Assert.Collection(
            sent[1].TransactItems,
            breaker => Assert.NotNull(breaker.Delete), // the breaker closes
            claim => Assert.Equal("REMOVE #runningUntil", claim.Update.UpdateExpression)); // and the claim is settled
    }

    private ILedger CreateSut()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ledger:Store"] = "DynamoDb",
            ["Ledger:TableName"] = "ledger",
            ["Aws:Resilience:MaxRetryAttempts"] = Retries.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build();
        return new ServiceCollection().AddLogging().AddRemediationWorker(configuration)
            .AddSingleton(_dynamoDb)
            .AddSingleton<TimeProvider>(_time)
            .BuildServiceProvider()
            .GetRequiredService<ILedger>();
    }

    /// <summary>Moves fake time on until the pipeline's back-offs have passed (Polly's ExecuteAndAdvance).</summary>
    private async Task<T> AdvanceUntilDone<T>(Task<T> running)
    {
        while (!running.IsCompleted)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await Task.Yield();
        }

        return await running;
    }

    private static TakeoverRequest TakeoverRequest(int maxInFlight, bool markTrial)
        => new(Key, "owner-e1b", T0, T0 + Limits.Timeout, new GlobalLimitsOptions { MaxStartsPerMinute = 1000, MaxInFlight = maxInFlight }) { MarkTrial = markTrial };

    private static string KeyOf(Dictionary<string, AttributeValue> key) => $"{key[LedgerTable.PartitionKey].S} {key[LedgerTable.SortKey].S}";

    private static StartRequest Request(int maxInFlight = 1000)
        => new(Key, "owner-e1", T0, T0 + Limits.Timeout, T0.AddHours(25), Limits, new GlobalLimitsOptions { MaxStartsPerMinute = 1000, MaxInFlight = maxInFlight });

    private static AmazonDynamoDBException Error(string code, HttpStatusCode status)
        => new("injected", status >= HttpStatusCode.InternalServerError ? ErrorType.Receiver : ErrorType.Sender, code, "req-1", status);

    private static TransactionCanceledException Canceled(List<CancellationReason> reasons)
        => new("Transaction cancelled") { CancellationReasons = reasons };

    private static Dictionary<string, AttributeValue> Claim(Dictionary<string, AttributeValue> key)
        => new(key) { [LedgerTable.Until] = LedgerTable.Number(LedgerTable.Millis(T0.AddHours(25))) };

    private static Dictionary<string, AttributeValue> StoredClaim(DateTimeOffset? runningUntil)
    {
        var claim = Claim(LedgerTable.ClaimKey(Key));
        claim[LedgerTable.Owner] = LedgerTable.Text("other");
        if (runningUntil is { } until)
        {
            claim[LedgerTable.RunningUntil] = LedgerTable.Number(LedgerTable.Millis(until));
        }

        return claim;
    }

    private static Dictionary<string, AttributeValue> Leases(params (string Resource, DateTimeOffset Until)[] leases) => new()
    {
        [LedgerTable.Leases] = new AttributeValue
        {
            M = leases.ToDictionary(
                l => LedgerTable.LeaseName(l.Resource),
                l => new AttributeValue { M = new() { [LedgerTable.Owner] = LedgerTable.Text("other"), [LedgerTable.Until] = LedgerTable.Number(LedgerTable.Millis(l.Until)) } }),
        },
    };

    private static Dictionary<string, AttributeValue> Attempts(DateTimeOffset windowStart, int attempts, DateTimeOffset lastAttempt) => new()
    {
        [LedgerTable.WindowStart] = LedgerTable.Number(LedgerTable.Millis(windowStart)),
        [LedgerTable.Attempts] = LedgerTable.Number(attempts),
        [LedgerTable.LastAttempt] = LedgerTable.Number(LedgerTable.Millis(lastAttempt)),
        [LedgerTable.EscalatedUntil] = LedgerTable.Number(0),
    };
}
