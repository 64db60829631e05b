using Amazon.DynamoDBv2.Model;

namespace RemediationWorker.Ledger;

/// <summary>The write on a playbook's breaker item that a start and a takeover share: the trial mark.</summary>
internal static class BreakerItem
{
    /// <summary>Sets <c>trialUntil</c> to the lease's end (it counts only while the breaker is half-open, and every
    /// outcome clears it) and keeps the item <paramref name="retention"/> past it. With
    /// <paramref name="allowedAt"/> (a start), only if the breaker allows a start then: closed (failures below the
    /// stored threshold), or half-open with no live trial. Without (a takeover), unconditionally: the run was
    /// admitted when it started.</summary>
    public static TransactWriteItem MarkTrial(string table, string playbookId, DateTimeOffset leaseUntil, TimeSpan retention, DateTimeOffset? allowedAt)
    {
        var parts = new ExpressionParts();
        var trialUntil = parts[LedgerTable.TrialUntil];
        string? condition = null;
        if (allowedAt is { } at)
        {
            var failures = parts[LedgerTable.Failures];
            var now = parts.Value(LedgerTable.Millis(at));
            condition = $"attribute_not_exists({failures}) OR {failures} < {parts[LedgerTable.Threshold]} OR ({parts[LedgerTable.OpenUntil]} <= {now} AND (attribute_not_exists({trialUntil}) OR {trialUntil} <= {now}))";
        }

        return new TransactWriteItem
        {
            Update = parts.Update(
                table,
                LedgerTable.BreakerKey(playbookId),
                $"SET {trialUntil} = {parts.Value(LedgerTable.Millis(leaseUntil))}, {parts[LedgerTable.ExpiresAt]} = {parts.Value(LedgerTable.Ttl(leaseUntil + retention))}",
                condition),
        };
    }
}
