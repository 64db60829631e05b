using Amazon.DynamoDBv2.Model;

namespace RemediationWorker.Ledger;

/// <summary>One try of <see cref="ILedger.TryStartAsync"/> as one TransactWriteItems: the claim, the lease (and
/// with it the in-flight count), the attempt, the minute's starts and the breaker, each with its condition and
/// ALL_OLD on failure, so a cancellation names the condition that failed (<see cref="Judge"/>). The attempt item
/// is written whole from the state the caller saw and conditioned on still being that state.</summary>
internal sealed class StartTransaction : ILedgerTransaction
{
    private readonly StartRequest _request;
    private readonly AttemptState _seen;

    public StartTransaction(string table, StartRequest request, AttemptState seen, TimeSpan breakerRetention)
    {
        _request = request;
        _seen = seen;
        Request = new TransactWriteItemsRequest
        {
            // The pipeline's retries resend this very request: the token makes a retry after a lost answer a no-op.
            ClientRequestToken = Guid.NewGuid().ToString("N"),
            TransactItems = [Claim(table), Lease(table), Attempt(table), Minute(table), Breaker(table, breakerRetention)],
        };
    }

    public TransactWriteItemsRequest Request { get; }

    /// <inheritdoc/>
    /// <remarks>Names the first failed condition in guard order (as <see cref="InMemoryLedger"/> does), or what to
    /// mend when every failure was only a stale expectation.</remarks>
    public StartVerdict Judge(List<CancellationReason> reasons)
    {
        var now = _request.Now;
        var limits = _request.Limits;
        CancellationReason? Failed(int index) => ILedgerTransaction.Failed(reasons, index);

        if (Failed(0) is { } claim)
        {
            return StartVerdict.Of(LedgerItems.ClaimConflict(claim.Item));
        }

        var leases = LeasesFailure.Of(Failed(1), _request.Key.Resource, now, _request.GlobalLimits.MaxInFlight);
        if (leases.ResourceHeld)
        {
            return StartVerdict.Of(StartConflict.LeaseHeld);
        }

        AttemptState? stored = null;
        if (Failed(2) is { } attempt)
        {
            stored = LedgerItems.Attempts(attempt.Item);
            if (stored.IsExhausted(now, limits.AttemptWindow, limits.MaxAttempts))
            {
                return StartVerdict.Of(StartConflict.BudgetExhausted);
            }

            if (stored.IsCoolingDown(now, limits.Cooldown))
            {
                return StartVerdict.Of(StartConflict.CoolingDown);
            }
        }

        if (Failed(3) is not null)
        {
            return StartVerdict.Of(StartConflict.RateLimited);
        }

        if (leases.Full)
        {
            return StartVerdict.Of(StartConflict.InFlightLimited);
        }

        if (Failed(4) is not null)
        {
            return StartVerdict.Of(StartConflict.BreakerOpen);
        }

        return new StartVerdict(StartConflict.None, stored, leases.Missing, leases.Expired);
    }

    private TransactWriteItem Claim(string table)
    {
        var parts = new ExpressionParts();
        var item = LedgerTable.ClaimKey(_request.Key);
        item[LedgerTable.Owner] = LedgerTable.Text(_request.Owner);
        item[LedgerTable.Until] = LedgerTable.Number(LedgerTable.Millis(_request.ClaimUntil));
        item[LedgerTable.RunningUntil] = LedgerTable.Number(LedgerTable.Millis(_request.LeaseUntil));
        item[LedgerTable.ExpiresAt] = LedgerTable.Ttl(_request.ClaimUntil);
        return new TransactWriteItem
        {
            Put = parts.Put(table, item, $"attribute_not_exists({parts[LedgerTable.PartitionKey]}) OR {parts[LedgerTable.Until]} <= {parts.Value(LedgerTable.Millis(_request.Now))}"),
        };
    }

    private TransactWriteItem Lease(string table)
        => LeasesItem.Take(table, _request.Key.Resource, _request.Owner, _request.Now, _request.LeaseUntil, _request.GlobalLimits.MaxInFlight);

    /// <summary>Writes the spent attempt state whole, with the state before it (to give back when the run does
    /// not start), if the stored state is still the one seen and its budget and cooldown allow.</summary>
    private TransactWriteItem Attempt(string table)
    {
        var limits = _request.Limits;
        var now = _request.Now;
        var next = _seen.Spend(now, limits.AttemptWindow);
        var parts = new ExpressionParts();
        var item = LedgerTable.AttemptsKey(_request.Key);
        Write(item, next);
        item[LedgerTable.SpentBy] = LedgerTable.Text(_request.Owner);
        item[LedgerTable.ExpiresAt] = LedgerTable.Ttl(ForgetAfter(next, now));
        var previous = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        Write(previous, _seen);
        previous[LedgerTable.ExpiresAt] = LedgerTable.Ttl(_seen == AttemptState.None ? now : ForgetAfter(_seen, now));
        item[LedgerTable.Previous] = new AttributeValue { M = previous };

        var windowStart = parts[LedgerTable.WindowStart];
        var attempts = parts[LedgerTable.Attempts];
        var lastAttempt = parts[LedgerTable.LastAttempt];
        var escalatedUntil = parts[LedgerTable.EscalatedUntil];
        var unchanged = $"{windowStart} = {parts.Value(LedgerTable.Millis(_seen.WindowStart))} AND {attempts} = {parts.Value(_seen.Count)}"
                        + $" AND {lastAttempt} = {parts.Value(LedgerTable.Millis(_seen.LastAttempt))} AND {escalatedUntil} = {parts.Value(LedgerTable.Millis(_seen.EscalatedUntil))}";
        // The state seen decides what is written; the budget and cooldown are checked on the stored values too,
        // so a caller that saw an exhausted state is refused, not obeyed (nothing to check for a fresh one).
        var condition = _seen == AttemptState.None
            ? $"attribute_not_exists({parts[LedgerTable.PartitionKey]}) OR ({unchanged})"
            : $"({unchanged}) AND ({windowStart} <= {parts.Value(LedgerTable.Millis(now - limits.AttemptWindow))} OR {attempts} < {parts.Value(limits.MaxAttempts)})"
              + $" AND {lastAttempt} <= {parts.Value(LedgerTable.Millis(now - limits.Cooldown))}";
        return new TransactWriteItem { Put = parts.Put(table, item, condition) };
    }

    private TransactWriteItem Minute(string table)
    {
        var parts = new ExpressionParts();
        var starts = parts[LedgerTable.Starts];
        return new TransactWriteItem
        {
            Update = parts.Update(
                table,
                LedgerTable.MinuteKey(_request.Now),
                $"ADD {starts} {parts.Value(1)} SET {parts[LedgerTable.ExpiresAt]} = {parts.Value(LedgerTable.Ttl(LedgerTable.MinuteOf(_request.Now).AddHours(1)))}",
                $"attribute_not_exists({starts}) OR {starts} < {parts.Value(_request.GlobalLimits.MaxStartsPerMinute)}"),
        };
    }

    /// <summary>Allows the start when closed or half-open with no live trial; marks the trial until the lease ends.</summary>
    private TransactWriteItem Breaker(string table, TimeSpan retention)
        => BreakerItem.MarkTrial(table, _request.Key.PlaybookId, _request.LeaseUntil, retention, allowedAt: _request.Now);

    private static void Write(Dictionary<string, AttributeValue> item, AttemptState state)
    {
        item[LedgerTable.WindowStart] = LedgerTable.Number(LedgerTable.Millis(state.WindowStart));
        item[LedgerTable.Attempts] = LedgerTable.Number(state.Count);
        item[LedgerTable.LastAttempt] = LedgerTable.Number(LedgerTable.Millis(state.LastAttempt));
        item[LedgerTable.EscalatedUntil] = LedgerTable.Number(LedgerTable.Millis(state.EscalatedUntil));
    }

    /// <summary>When an attempt state stops mattering: its window, its cooldown and its escalation all passed.</summary>
    private DateTimeOffset ForgetAfter(AttemptState state, DateTimeOffset now)
    {
        var limits = _request.Limits;
        var latest = now + limits.Cooldown;
        foreach (var candidate in new[] { state.WindowStart + limits.AttemptWindow, state.LastAttempt + limits.Cooldown, state.EscalatedUntil })
        {
            if (candidate > latest)
            {
                latest = candidate.Value;
            }
        }

        return latest;
    }
}
