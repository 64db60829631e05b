using Amazon.DynamoDBv2.Model;

namespace RemediationWorker.Ledger;

/// <summary>What the leases item that failed its condition says (handed back with ALL_OLD): the resource's lease
/// is held, the in-flight count is full, or only something to mend: the item is missing, or expired leases fill
/// the count.</summary>
internal sealed record LeasesFailure(bool ResourceHeld, bool Full, bool Missing, IReadOnlyList<KeyValuePair<string, long>> Expired)
{
    public static readonly LeasesFailure None = new(false, false, false, []);

    /// <summary>Reads a cancellation reason of the leases item; <see cref="None"/> when its condition did not fail.</summary>
    public static LeasesFailure Of(CancellationReason? failed, string resource, DateTimeOffset now, int maxInFlight)
    {
        if (failed is null)
        {
            return None;
        }

        if (!LedgerItems.HasLeaseMap(failed.Item))
        {
            return new LeasesFailure(false, false, true, []);
        }

        return new LeasesFailure(
            LedgerItems.Lease(failed.Item, resource)?.IsHeldAt(now) == true,
            LedgerItems.HeldAt(failed.Item, now) >= maxInFlight,
            false,
            LedgerItems.ExpiredAt(failed.Item, now));
    }
}
