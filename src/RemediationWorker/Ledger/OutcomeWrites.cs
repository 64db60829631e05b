using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace RemediationWorker.Ledger;

/// <summary>The writes of <see cref="ILedger.RecordOutcomeAsync"/>: release the lease if it is still the
/// owner's, feed the breaker, and settle the owner's claim — or, for a run that did not start, give back its claim
/// and attempt; for a taken-over run handed back, end the claim's lease now.</summary>
internal sealed class OutcomeWrites
{
    private readonly string _table;
    private readonly OutcomeRequest _request;
    private readonly TimeSpan _breakerRetention;

    public OutcomeWrites(string table, OutcomeRequest request, TimeSpan breakerRetention)
    {
        _table = table;
        _request = request;
        _breakerRetention = breakerRetention;
    }

    /// <summary>The writes of an outcome that does not fail: one transaction.</summary>
    public List<TransactWriteItem> Items()
    {
        var items = new List<TransactWriteItem>(4)
        {
            ReleaseLease(),
            _request.Outcome == RunOutcome.Succeeded
                ? new TransactWriteItem { Delete = new Delete { TableName = _table, Key = LedgerTable.BreakerKey(_request.Key.PlaybookId) } }
                : EndTrial(),
        };
        switch (_request.Outcome)
        {
            case RunOutcome.NotStarted:
                items.Add(GiveBackClaim());
                items.Add(GiveBackAttempt());
                break;
            case RunOutcome.HandedBack:
                items.Add(EndClaimLease());
                break;
            default:
                items.Add(SettleClaim());
                break;
        }

        return items;
    }

    /// <summary>DynamoDB's limit on the actions of one TransactWriteItems.</summary>
    public const int MaxTransactionItems = 100;

    /// <summary>The puts of the run's caused ids: those that fit in the outcome's own transaction, and the rest.</summary>
    public (List<TransactWriteItem> InOutcome, List<TransactWriteItem> Overflow) CausedIds()
    {
        if (_request.ExecutionId is not { } executionId || _request.CausedIds.Count == 0)
        {
            return ([], []);
        }

        var until = _request.Now + CauseState.Retention;
        var puts = _request.CausedIds.Distinct(StringComparer.Ordinal).Select(id =>
        {
            var item = LedgerTable.CausedKey(id);
            item[LedgerTable.ExecutionId] = LedgerTable.Text(executionId);
            item[LedgerTable.Playbook] = LedgerTable.Text(_request.Key.PlaybookId);
            item[LedgerTable.Until] = LedgerTable.Number(LedgerTable.Millis(until));
            item[LedgerTable.ExpiresAt] = LedgerTable.Ttl(until);
            return new TransactWriteItem { Put = new Put { TableName = _table, Item = item } };
        }).ToList();
        const int Room = MaxTransactionItems - 5; // the outcome's own writes: at most four
        return ([.. puts.Take(Room)], [.. puts.Skip(Room)]);
    }

    /// <summary>After a failure has fed the breaker: the lease released and the claim settled, if still the owner's.</summary>
    public List<TransactWriteItem> ReleaseAndSettle() => [ReleaseLease(), SettleClaim()];

    /// <summary>One more failure in a row, with the threshold it counts against and when an open breaker would
    /// end; the new count comes back.</summary>
    public UpdateItemRequest BreakerFailure()
    {
        var parts = new ExpressionParts();
        var openUntil = _request.Now + _request.Breaker.BreakDuration;
        var request = parts.UpdateItem(
            _table,
            LedgerTable.BreakerKey(_request.Key.PlaybookId),
            $"ADD {parts[LedgerTable.Failures]} {parts.Value(1)} SET {parts[LedgerTable.Threshold]} = {parts.Value(_request.Breaker.FailureThreshold)}"
            + $", {parts[LedgerTable.OpenUntil]} = {parts.Value(LedgerTable.Millis(openUntil))}, {parts[LedgerTable.ExpiresAt]} = {parts.Value(LedgerTable.Ttl(openUntil + _breakerRetention))}"
            + $" REMOVE {parts[LedgerTable.TrialUntil]}");
        request.ReturnValues = ReturnValue.ALL_NEW;
        return request;
    }

    /// <summary>What the outcome did to the breaker; only a failure can open it, and only then do the count and
    /// the end matter to the caller.</summary>
    public OutcomeResult Result(Dictionary<string, AttributeValue>? breaker)
    {
        if (breaker is null)
        {
            return new OutcomeResult(false, 0, null);
        }

        var state = LedgerItems.Breaker(breaker, _request.Now);
        return new OutcomeResult(state.OpenUntil is not null, state.ConsecutiveFailures, state.OpenUntil);
    }

    private TransactWriteItem EndTrial()
    {
        var parts = new ExpressionParts();
        var expiresAt = parts[LedgerTable.ExpiresAt];
        return new TransactWriteItem
        {
            Update = parts.Update(
                _table,
                LedgerTable.BreakerKey(_request.Key.PlaybookId),
                $"REMOVE {parts[LedgerTable.TrialUntil]} SET {expiresAt} = if_not_exists({expiresAt}, {parts.Value(LedgerTable.Ttl(_request.Now + _breakerRetention))})"),
        };
    }

    /// <summary>Removes the resource's lease if the owner still holds it.</summary>
    private TransactWriteItem ReleaseLease()
    {
        var parts = new ExpressionParts();
        var entry = $"{parts[LedgerTable.Leases]}.{parts[LedgerTable.LeaseName(_request.Key.Resource)]}";
        return new TransactWriteItem
        {
            Update = parts.Update(
                _table,
                LedgerTable.LeasesKey(),
                $"REMOVE {entry} SET {parts[LedgerTable.ExpiresAt]} = {parts.Value(LedgerTable.Ttl(_request.Now + LedgerTable.LeasesHorizon))}",
                $"{entry}.{parts[LedgerTable.Owner]} = {parts.Value(_request.Owner)}"),
        };
    }

    /// <summary>The run finished: its redeliveries are duplicates from now on.</summary>
    private TransactWriteItem SettleClaim()
    {
        var parts = new ExpressionParts();
        return new TransactWriteItem
        {
            Update = parts.Update(_table, LedgerTable.ClaimKey(_request.Key), $"REMOVE {parts[LedgerTable.RunningUntil]}", OwnedBy(parts)),
        };
    }

    /// <summary>A taken-over run handed back unfinished: its claim is abandoned now, so the redelivery takes it over
    /// at once instead of waiting for the lease.</summary>
    private TransactWriteItem EndClaimLease()
    {
        var parts = new ExpressionParts();
        return new TransactWriteItem
        {
            Update = parts.Update(_table, LedgerTable.ClaimKey(_request.Key), $"SET {parts[LedgerTable.RunningUntil]} = {parts.Value(LedgerTable.Millis(_request.Now))}", OwnedBy(parts)),
        };
    }

    private string OwnedBy(ExpressionParts parts) => $"{parts[LedgerTable.Owner]} = {parts.Value(_request.Owner)}";

    private TransactWriteItem GiveBackClaim()
    {
        var parts = new ExpressionParts();
        return new TransactWriteItem
        {
            Delete = new Delete
            {
                TableName = _table,
                Key = LedgerTable.ClaimKey(_request.Key),
                ConditionExpression = OwnedBy(parts),
                ExpressionAttributeNames = parts.Names,
                ExpressionAttributeValues = parts.Values,
            },
        };
    }

    /// <summary>Restores the attempt state from before this owner's spend (kept in <c>prev</c>).</summary>
    private TransactWriteItem GiveBackAttempt()
    {
        var parts = new ExpressionParts();
        var previous = parts[LedgerTable.Previous];
        var restore = string.Join(", ", new[] { LedgerTable.WindowStart, LedgerTable.Attempts, LedgerTable.LastAttempt, LedgerTable.EscalatedUntil, LedgerTable.ExpiresAt }
            .Select(a => $"{parts[a]} = {previous}.{parts[a]}"));
        var spentBy = parts[LedgerTable.SpentBy];
        return new TransactWriteItem
        {
            Update = parts.Update(_table, LedgerTable.AttemptsKey(_request.Key), $"SET {restore} REMOVE {spentBy}", $"{spentBy} = {parts.Value(_request.Owner)}"),
        };
    }
}
