using Amazon.DynamoDBv2.Model;

namespace RemediationWorker.Ledger;

/// <summary>One try of <see cref="ILedger.TryTakeOverAsync"/> as one TransactWriteItems: the claim moves to the new
/// owner only if its run is still unsettled and its lease ran out (so of several replicas taking over at once exactly
/// one wins), and the resource's lease with it, on the same condition as a start's (free, in-flight room). The
/// attempt and the minute are not touched: the run is the one already started. With
/// <see cref="TakeoverRequest.MarkTrial"/>, a third item renews the half-open breaker's trial mark until the new
/// lease ends (no condition, so it never cancels the takeover; after the two judged items, so their reasons keep
/// their indexes).</summary>
internal sealed class TakeoverTransaction : ILedgerTransaction
{
    private readonly TakeoverRequest _request;

    public TakeoverTransaction(string table, TakeoverRequest request, TimeSpan breakerRetention)
    {
        _request = request;
        List<TransactWriteItem> items =
        [
            Claim(table),
            LeasesItem.Take(table, request.Key.Resource, request.Owner, request.Now, request.LeaseUntil, request.GlobalLimits.MaxInFlight),
        ];
        if (request.MarkTrial)
        {
            items.Add(BreakerItem.MarkTrial(table, request.Key.PlaybookId, request.LeaseUntil, breakerRetention, allowedAt: null));
        }

        Request = new TransactWriteItemsRequest
        {
            // As for a start: a retry after a lost answer resends this request, which DynamoDB answers as done.
            ClientRequestToken = Guid.NewGuid().ToString("N"),
            TransactItems = items,
        };
    }

    public TransactWriteItemsRequest Request { get; }

    /// <inheritdoc/>
    /// <remarks>The claim first (settled meanwhile: a duplicate; taken over by another or handed back: try later),
    /// then the resource's lease and the in-flight count, as <see cref="InMemoryLedger"/> orders them.</remarks>
    public StartVerdict Judge(List<CancellationReason> reasons)
    {
        if (ILedgerTransaction.Failed(reasons, 0) is { } claim)
        {
            return StartVerdict.Of(LedgerItems.ClaimConflict(claim.Item));
        }

        var leases = LeasesFailure.Of(ILedgerTransaction.Failed(reasons, 1), _request.Key.Resource, _request.Now, _request.GlobalLimits.MaxInFlight);
        return leases.ResourceHeld ? StartVerdict.Of(StartConflict.LeaseHeld)
            : leases.Full ? StartVerdict.Of(StartConflict.InFlightLimited)
            : new StartVerdict(StartConflict.None, null, leases.Missing, leases.Expired);
    }

    private TransactWriteItem Claim(string table)
    {
        var parts = new ExpressionParts();
        var runningUntil = parts[LedgerTable.RunningUntil];
        var now = parts.Value(LedgerTable.Millis(_request.Now));
        return new TransactWriteItem
        {
            Update = parts.Update(
                table,
                LedgerTable.ClaimKey(_request.Key),
                $"SET {parts[LedgerTable.Owner]} = {parts.Value(_request.Owner)}, {runningUntil} = {parts.Value(LedgerTable.Millis(_request.LeaseUntil))}",
                // A settled claim has no runningUntil (the comparison is false); an expired claim is no claim.
                $"{runningUntil} <= {now} AND {parts[LedgerTable.Until]} > {now}"),
        };
    }
}
