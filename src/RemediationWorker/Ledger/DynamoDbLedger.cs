using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Registry;
using RemediationWorker.Aws;
using RemediationWorker.Diagnostics;

namespace RemediationWorker.Ledger;

/// <summary>The ledger shared by replicas, in one DynamoDB table (docs/ledger.md). An event costs one
/// BatchGetItem to read; a start (or the takeover of a dead replica's run) is one TransactWriteItems whose
/// conditions make it all-or-nothing across replicas; an outcome is one TransactWriteItems (two requests when a run failed: the breaker's count comes
/// back from an UpdateItem). Every call goes through its Polly pipeline (<see cref="AwsResiliencePipelines"/>);
/// what still fails throws <see cref="LedgerUnavailableException"/>. A failed condition is an answer, not a
/// failure.</summary>
internal sealed class DynamoDbLedger : ILedger
{
    private const string ConditionalCheckFailed = "ConditionalCheckFailed";

    /// <summary>Tries of one start or takeover: a stale expectation (the attempt state changed, the leases item is missing,
    /// expired leases fill the count) is mended and tried again, a few times at most.</summary>
    private const int MaxStartTries = 4;

    /// <summary>BatchGetItem hands back unprocessed keys under throttling; they are asked for again this often.</summary>
    private const int MaxReadTries = 5;

    private readonly Lazy<IAmazonDynamoDB> _dynamoDb;
    private readonly string _table;
    private readonly TimeSpan _breakerRetention;
    private readonly ResiliencePipeline _read;
    private readonly ResiliencePipeline _transact;
    private readonly ResiliencePipeline _update;
    private readonly ResiliencePipeline _put;
    private readonly ILogger<DynamoDbLedger> _logger;

    public DynamoDbLedger(Lazy<IAmazonDynamoDB> dynamoDb, IOptions<LedgerOptions> options, ResiliencePipelineProvider<string> pipelines, ILogger<DynamoDbLedger> logger)
    {
        _dynamoDb = dynamoDb;
        _table = options.Value.TableName;
        _breakerRetention = options.Value.BreakerRetention;
        _read = pipelines.GetPipeline(AwsResiliencePipelines.DynamoDbRead);
        _transact = pipelines.GetPipeline(AwsResiliencePipelines.DynamoDbTransact);
        _update = pipelines.GetPipeline(AwsResiliencePipelines.DynamoDbUpdate);
        _put = pipelines.GetPipeline(AwsResiliencePipelines.DynamoDbPut);
        _logger = logger;
    }

    public async ValueTask<LedgerSnapshot> ReadAsync(LedgerKey key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var claimKey = LedgerTable.ClaimKey(key);
        var leasesKey = LedgerTable.LeasesKey();
        var attemptsKey = LedgerTable.AttemptsKey(key);
        var minuteKey = LedgerTable.MinuteKey(now);
        var breakerKey = LedgerTable.BreakerKey(key.PlaybookId);
        var candidates = (key.CausedIdCandidates ?? []).Distinct(StringComparer.Ordinal).Take(CauseState.MaxCandidates).ToList();
        var causedKeys = candidates.Select(LedgerTable.CausedKey).ToList();
        var items = await BatchGetAsync([claimKey, leasesKey, attemptsKey, minuteKey, breakerKey, .. causedKeys], cancellationToken);
        Dictionary<string, AttributeValue>? Find(Dictionary<string, AttributeValue> k) => items.Find(i => LedgerTable.SameKey(i, k));

        var leases = Find(leasesKey);
        return new LedgerSnapshot(
            LedgerItems.Claim(Find(claimKey), now),
            LedgerItems.Lease(leases, key.Resource),
            LedgerItems.Attempts(Find(attemptsKey)),
            (int)LedgerTable.NumberOf(Find(minuteKey), LedgerTable.Starts),
            LedgerItems.HeldAt(leases, now),
            LedgerItems.Breaker(Find(breakerKey), now))
        {
            CausedBy = candidates.Select((id, i) => LedgerItems.Cause(Find(causedKeys[i]), id, now)).FirstOrDefault(c => c is not null),
        };
    }

    /// <summary>The table is shared: only a read could say.</summary>
    public bool KnowsNoCause => false;

    public async ValueTask<CauseState?> FindCauseAsync(IReadOnlyList<string> causedIdCandidates, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var candidates = causedIdCandidates.Distinct(StringComparer.Ordinal).Take(CauseState.MaxCandidates).ToList();
        if (candidates.Count == 0)
        {
            return null;
        }

        var causedKeys = candidates.Select(LedgerTable.CausedKey).ToList();
        var items = await BatchGetAsync(causedKeys, cancellationToken);
        return candidates.Select((id, i) => LedgerItems.Cause(items.Find(item => LedgerTable.SameKey(item, causedKeys[i])), id, now)).FirstOrDefault(c => c is not null);
    }

    public ValueTask<StartConflict> TryStartAsync(StartRequest request, CancellationToken cancellationToken)
        => TransactAsync(
            request.Key,
            request.Now,
            "start",
            stored => new StartTransaction(_table, request, stored ?? request.SeenAttempts ?? AttemptState.None, _breakerRetention),
            cancellationToken);

    public ValueTask<StartConflict> TryTakeOverAsync(TakeoverRequest request, CancellationToken cancellationToken)
        => TransactAsync(request.Key, request.Now, "take over", _ => new TakeoverTransaction(_table, request, _breakerRetention), cancellationToken);

    public async ValueTask<OutcomeResult> RecordOutcomeAsync(OutcomeRequest request, CancellationToken cancellationToken)
    {
        var outcome = new OutcomeWrites(_table, request, _breakerRetention);
        var (caused, overflow) = outcome.CausedIds();
        if (request.Outcome is RunOutcome.Failed or RunOutcome.TimedOut)
        {
            // The breaker's new count decides whether this failure opened it: it comes back from the update.
            var updated = await CallAsync(_update, "UpdateItem", (db, t) => db.UpdateItemAsync(outcome.BreakerFailure(), t), cancellationToken);
            await TransactOwnAsync([.. outcome.ReleaseAndSettle(), .. caused], cancellationToken);
            await WriteCausedOverflowAsync(overflow, cancellationToken);
            return outcome.Result(updated.Attributes);
        }

        await TransactOwnAsync([.. outcome.Items(), .. caused], cancellationToken);
        await WriteCausedOverflowAsync(overflow, cancellationToken);
        return outcome.Result(null);
    }

    public async ValueTask<bool> TryMarkEscalatedAsync(LedgerKey key, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var parts = new ExpressionParts();
        var escalatedUntil = parts[LedgerTable.EscalatedUntil];
        var zero = parts.Value(0);
        string Keep(string attribute) => $"{parts[attribute]} = if_not_exists({parts[attribute]}, {zero})";
        var request = new UpdateItemRequest
        {
            TableName = _table,
            Key = LedgerTable.AttemptsKey(key),
            UpdateExpression = $"SET {escalatedUntil} = {parts.Value(LedgerTable.Millis(until))}, {Keep(LedgerTable.WindowStart)}, {Keep(LedgerTable.Attempts)}, {Keep(LedgerTable.LastAttempt)}"
                               + $", {parts[LedgerTable.ExpiresAt]} = if_not_exists({parts[LedgerTable.ExpiresAt]}, {parts.Value(LedgerTable.Ttl(until))})",
            ConditionExpression = $"attribute_not_exists({escalatedUntil}) OR {escalatedUntil} <= {parts.Value(LedgerTable.Millis(now))}",
            ExpressionAttributeNames = parts.Names,
            ExpressionAttributeValues = parts.Values,
        };
        try
        {
            await CallAsync(_update, "UpdateItem", (db, t) => db.UpdateItemAsync(request, t), cancellationToken);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    public async ValueTask MarkBreakerEscalatedAsync(string playbookId, DateTimeOffset openUntil, CancellationToken cancellationToken)
    {
        var parts = new ExpressionParts();
        var until = parts.Value(LedgerTable.Millis(openUntil));
        var request = new UpdateItemRequest
        {
            TableName = _table,
            Key = LedgerTable.BreakerKey(playbookId),
            UpdateExpression = $"SET {parts[LedgerTable.EscalatedUntil]} = {until}",
            ConditionExpression = $"{parts[LedgerTable.OpenUntil]} = {until}",
            ExpressionAttributeNames = parts.Names,
            ExpressionAttributeValues = parts.Values,
        };
        try
        {
            await CallAsync(_update, "UpdateItem", (db, t) => db.UpdateItemAsync(request, t), cancellationToken);
        }
        catch (ConditionalCheckFailedException)
        {
            // The breaker opened again (or closed) since: nothing to mark.
        }
    }

    /// <summary>Runs a conditional transaction until it is answered: done, or a conflict; a stale expectation (the
    /// attempt state changed, the leases item is missing, expired leases fill the count) is mended and tried again,
    /// a few times at most. <paramref name="next"/> builds each try from the attempt state last found stored.</summary>
    private async ValueTask<StartConflict> TransactAsync(LedgerKey key, DateTimeOffset now, string what, Func<AttemptState?, ILedgerTransaction> next, CancellationToken cancellationToken)
    {
        AttemptState? stored = null;
        for (var attempt = 1; attempt <= MaxStartTries; attempt++)
        {
            var transaction = next(stored);
            List<CancellationReason> reasons;
            try
            {
                await CallAsync(_transact, "TransactWriteItems", (db, t) => db.TransactWriteItemsAsync(transaction.Request, t), cancellationToken);
                return StartConflict.None;
            }
            catch (TransactionCanceledException canceled)
            {
                reasons = canceled.CancellationReasons ?? [];
            }

            var verdict = transaction.Judge(reasons);
            if (verdict.Conflict != StartConflict.None)
            {
                return verdict.Conflict;
            }

            if (_logger.IsEnabled(LogLevel.Information))
            {
                _logger.LedgerStartRetried(key.Resource, key.PlaybookId, attempt, string.Join(",", reasons.Select(r => r.Code)));
            }

            stored = verdict.StoredAttempts ?? stored;
            if (verdict.LeasesMissing)
            {
                await IgnoringConditionAsync(_put, "PutItem", (db, t) => db.PutItemAsync(LeasesItem.Create(_table, now), t), cancellationToken);
            }

            if (verdict.ExpiredLeases.Count > 0)
            {
                _logger.LedgerExpiredLeasesRemoved(verdict.ExpiredLeases.Count);
                await IgnoringConditionAsync(_update, "UpdateItem", (db, t) => db.UpdateItemAsync(LeasesItem.RemoveExpired(_table, verdict.ExpiredLeases, now), t), cancellationToken);
            }
        }

        throw new LedgerUnavailableException($"the ledger state of {key.Resource} kept changing during {MaxStartTries} tries to {what} playbook {key.PlaybookId}");
    }

    /// <summary>Caused ids beyond what fits in the outcome's transaction (a sweep's many detections): more
    /// transactions of unconditional puts, so the same item permissions cover them.</summary>
    private async Task WriteCausedOverflowAsync(List<TransactWriteItem> overflow, CancellationToken cancellationToken)
    {
        foreach (var chunk in overflow.Chunk(OutcomeWrites.MaxTransactionItems))
        {
            await CallAsync(_transact, "TransactWriteItems", (db, t) => db.TransactWriteItemsAsync(new TransactWriteItemsRequest { TransactItems = [.. chunk] }, t), cancellationToken);
        }
    }

    /// <summary>Makes an outcome's writes in one transaction. A condition that failed means "not ours" (another owner
    /// holds the lease or the claim now, the attempt was spent by someone else): that write is left out and the rest
    /// is made.</summary>
    private async Task TransactOwnAsync(List<TransactWriteItem> items, CancellationToken cancellationToken)
    {
        try
        {
            await CallAsync(_transact, "TransactWriteItems", (db, t) => db.TransactWriteItemsAsync(new TransactWriteItemsRequest { TransactItems = items }, t), cancellationToken);
        }
        catch (TransactionCanceledException canceled)
        {
            var kept = items.Where((_, i) => canceled.CancellationReasons is not { } r || i >= r.Count || r[i].Code != ConditionalCheckFailed).ToList();
            if (kept.Count > 0)
            {
                await IgnoringConditionAsync(_transact, "TransactWriteItems", async (db, t) => await db.TransactWriteItemsAsync(new TransactWriteItemsRequest { TransactItems = kept }, t), cancellationToken);
            }
        }
    }

    private async Task<List<Dictionary<string, AttributeValue>>> BatchGetAsync(List<Dictionary<string, AttributeValue>> keys, CancellationToken cancellationToken)
    {
        var items = new List<Dictionary<string, AttributeValue>>(keys.Count);
        for (var attempt = 1; attempt <= MaxReadTries && keys.Count > 0; attempt++)
        {
            var request = new BatchGetItemRequest
            {
                RequestItems = new Dictionary<string, KeysAndAttributes>(StringComparer.Ordinal)
                {
                    // Consistent: a guard deciding on a stale read would only lose its start to a condition later.
                    [_table] = new KeysAndAttributes { Keys = keys, ConsistentRead = true },
                },
            };
            var response = await CallAsync(_read, "BatchGetItem", (db, t) => db.BatchGetItemAsync(request, t), cancellationToken);
            if (response.Responses?.TryGetValue(_table, out var found) == true)
            {
                items.AddRange(found);
            }

            keys = response.UnprocessedKeys?.TryGetValue(_table, out var unprocessed) == true ? unprocessed.Keys ?? [] : [];
        }

        return keys.Count == 0
            ? items
            : throw new LedgerUnavailableException($"DynamoDB left {keys.Count} keys of table {_table} unread after {MaxReadTries} tries (throttled)");
    }

    /// <summary>Calls DynamoDB through a pipeline. Condition failures come back as they are (they are answers);
    /// anything else that is left after the retries is the ledger being unavailable.</summary>
    private async Task<T> CallAsync<T>(ResiliencePipeline pipeline, string operation, Func<IAmazonDynamoDB, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await pipeline.ExecuteAsync(async token => await call(_dynamoDb.Value, token), cancellationToken);
        }
        catch (TransactionCanceledException canceled) when (!AwsErrors.IsContention(canceled))
        {
            throw;
        }
        catch (ConditionalCheckFailedException)
        {
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            _logger.LedgerUnavailable(ex, operation, _table);
            throw new LedgerUnavailableException($"DynamoDB {operation} on table {_table} failed: {ex.Message}", ex);
        }
    }

    private async Task IgnoringConditionAsync<T>(ResiliencePipeline pipeline, string operation, Func<IAmazonDynamoDB, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            await CallAsync(pipeline, operation, call, cancellationToken);
        }
        catch (Exception ex) when (ex is ConditionalCheckFailedException or TransactionCanceledException)
        {
            // Someone else already did it, or it is no longer ours to do.
        }
    }
}
