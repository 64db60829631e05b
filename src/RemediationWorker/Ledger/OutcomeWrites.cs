using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace RemediationWorker.Ledger;

/// <summary>The writes of <see cref="ILedger.RecordOutcomeAsync"/>: release the lease if it is still the
/// owner's, feed the breaker, and for a run that did not start give back its claim and attempt.</summary>
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
        var (parts, update, condition) = ReleaseLeaseExpression();
        var items = new List<TransactWriteItem>(4)
        {
            new() { Update = parts.Update(_table, LedgerTable.LeasesKey(), update, condition) },
            _request.Outcome == RunOutcome.Succeeded
                ? new TransactWriteItem { Delete = new Delete { TableName = _table, Key = LedgerTable.BreakerKey(_request.Key.PlaybookId) } }
                : EndTrial(),
        };
        if (_request.Outcome == RunOutcome.NotStarted)
        {
            items.Add(GiveBackClaim());
            items.Add(GiveBackAttempt());
        }

        return items;
    }

    /// <summary>Removes the resource's lease if the owner still holds it.</summary>
    public UpdateItemRequest ReleaseLease()
    {
        var (parts, update, condition) = ReleaseLeaseExpression();
        return parts.UpdateItem(_table, LedgerTable.LeasesKey(), update, condition);
    }

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

    private (ExpressionParts Parts, string Update, string Condition) ReleaseLeaseExpression()
    {
        var parts = new ExpressionParts();
        var entry = $"{parts[LedgerTable.Leases]}.{parts[LedgerTable.LeaseName(_request.Key.Resource)]}";
        return (
            parts,
            $"REMOVE {entry} SET {parts[LedgerTable.ExpiresAt]} = {parts.Value(LedgerTable.Ttl(_request.Now + LedgerTable.LeasesHorizon))}",
            $"{entry}.{parts[LedgerTable.Owner]} = {parts.Value(_request.Owner)}");
    }

    private TransactWriteItem GiveBackClaim()
    {
        var parts = new ExpressionParts();
        return new TransactWriteItem
        {
            Delete = new Delete
            {
                TableName = _table,
                Key = LedgerTable.ClaimKey(_request.Key),
                ConditionExpression = $"{parts[LedgerTable.Owner]} = {parts.Value(_request.Owner)}",
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
