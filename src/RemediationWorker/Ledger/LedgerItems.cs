using Amazon.DynamoDBv2.Model;

namespace RemediationWorker.Ledger;

/// <summary>Reads the ledger's state out of the table's items (docs/ledger.md has their shapes).</summary>
internal static class LedgerItems
{
    /// <summary>The claim, unless absent or past its idempotency window. A claim without <c>runningUntil</c> is
    /// settled (its outcome was recorded).</summary>
    public static ClaimState? Claim(Dictionary<string, AttributeValue>? claim, DateTimeOffset now)
        => claim is not null && LedgerTable.NumberOf(claim, LedgerTable.Until) > LedgerTable.Millis(now)
            ? new ClaimState(LedgerTable.TextOf(claim, LedgerTable.Owner) ?? string.Empty, LedgerTable.Time(LedgerTable.NumberOf(claim, LedgerTable.RunningUntil)))
            : null;

    /// <summary>What a claim that failed a condition says: its run is still in progress (or it was handed back, or
    /// is gone: try later), or it is settled (a duplicate).</summary>
    public static StartConflict ClaimConflict(Dictionary<string, AttributeValue>? claim)
        => claim is not null && LedgerTable.NumberOf(claim, LedgerTable.RunningUntil) == 0 ? StartConflict.AlreadyClaimed : StartConflict.RunInProgress;

    /// <summary>The run that caused <paramref name="causedId"/>, unless absent or past its retention.</summary>
    public static CauseState? Cause(Dictionary<string, AttributeValue>? item, string causedId, DateTimeOffset now)
        => item is not null && LedgerTable.NumberOf(item, LedgerTable.Until) > LedgerTable.Millis(now)
            ? new CauseState(causedId, LedgerTable.TextOf(item, LedgerTable.ExecutionId) ?? string.Empty, LedgerTable.TextOf(item, LedgerTable.Playbook) ?? string.Empty)
            : null;

    public static AttemptState Attempts(Dictionary<string, AttributeValue>? item)
        => item is null
            ? AttemptState.None
            : new AttemptState(
                LedgerTable.Time(LedgerTable.NumberOf(item, LedgerTable.WindowStart)),
                (int)LedgerTable.NumberOf(item, LedgerTable.Attempts),
                LedgerTable.Time(LedgerTable.NumberOf(item, LedgerTable.LastAttempt)),
                LedgerTable.Time(LedgerTable.NumberOf(item, LedgerTable.EscalatedUntil)));

    /// <summary>The breaker: open or half-open while its failures reach the threshold stored with the last
    /// failure; a trial is in flight only while half-open and its lease (<c>trialUntil</c>) runs, so a trial whose
    /// replica died ends with its lease.</summary>
    public static BreakerState Breaker(Dictionary<string, AttributeValue>? item, DateTimeOffset now)
    {
        var failures = (int)LedgerTable.NumberOf(item, LedgerTable.Failures);
        if (item is null || failures == 0)
        {
            return BreakerState.Closed;
        }

        var tripped = failures >= LedgerTable.NumberOf(item, LedgerTable.Threshold);
        return new BreakerState(
            failures,
            tripped ? LedgerTable.Time(LedgerTable.NumberOf(item, LedgerTable.OpenUntil)) : null,
            tripped && LedgerTable.NumberOf(item, LedgerTable.TrialUntil) > LedgerTable.Millis(now))
        {
            EscalatedUntil = LedgerTable.Time(LedgerTable.NumberOf(item, LedgerTable.EscalatedUntil)),
        };
    }

    public static LeaseState? Lease(Dictionary<string, AttributeValue>? leases, string resource)
        => Entries(leases).TryGetValue(LedgerTable.LeaseName(resource), out var entry)
            ? new LeaseState(LedgerTable.TextOf(entry.M, LedgerTable.Owner) ?? string.Empty, LedgerTable.Time(LedgerTable.NumberOf(entry.M, LedgerTable.Until)) ?? DateTimeOffset.UnixEpoch)
            : null;

    /// <summary>Runs in flight: the leases not yet expired.</summary>
    public static int HeldAt(Dictionary<string, AttributeValue>? leases, DateTimeOffset now)
        => Entries(leases).Values.Count(e => LedgerTable.NumberOf(e.M, LedgerTable.Until) > LedgerTable.Millis(now));

    /// <summary>Expired leases still in the map (their replicas stopped without recording an outcome), by entry
    /// name with the expiry that identifies them.</summary>
    public static List<KeyValuePair<string, long>> ExpiredAt(Dictionary<string, AttributeValue>? leases, DateTimeOffset now)
        => [.. Entries(leases)
            .Select(e => KeyValuePair.Create(e.Key, LedgerTable.NumberOf(e.Value.M, LedgerTable.Until)))
            .Where(e => e.Value <= LedgerTable.Millis(now))];

    public static bool HasLeaseMap(Dictionary<string, AttributeValue>? leases)
        => leases is not null && leases.TryGetValue(LedgerTable.Leases, out var map) && map.M is not null;

    private static Dictionary<string, AttributeValue> Entries(Dictionary<string, AttributeValue>? leases)
        => leases is not null && leases.TryGetValue(LedgerTable.Leases, out var map) && map.M is { } entries ? entries : [];
}
