using Amazon.DynamoDBv2.Model;

namespace RemediationWorker.Ledger;

/// <summary>The writes on the one item holding every resource's lease (its unexpired entries are the runs in
/// flight), shared by a start and a takeover, and what its failed condition says.</summary>
internal static class LeasesItem
{
    /// <summary>Takes the resource's entry in the leases map: free (absent or expired) and, counting every entry
    /// (expired ones too, so the check is safe), fewer than maxInFlight held.</summary>
    public static TransactWriteItem Take(string table, string resource, string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int maxInFlight)
    {
        var parts = new ExpressionParts();
        var leases = parts[LedgerTable.Leases];
        var entry = $"{leases}.{parts[LedgerTable.LeaseName(resource)]}";
        var until = parts[LedgerTable.Until];
        var nowValue = parts.Value(LedgerTable.Millis(now));
        var max = parts.Value(maxInFlight);
        var lease = new AttributeValue
        {
            M = new Dictionary<string, AttributeValue>(StringComparer.Ordinal)
            {
                [LedgerTable.Owner] = LedgerTable.Text(owner),
                [LedgerTable.Until] = LedgerTable.Number(LedgerTable.Millis(leaseUntil)),
            },
        };
        var horizon = now + LedgerTable.LeasesHorizon > leaseUntil ? now + LedgerTable.LeasesHorizon : leaseUntil;
        return new TransactWriteItem
        {
            Update = parts.Update(
                table,
                LedgerTable.LeasesKey(),
                $"SET {entry} = {parts.Value(lease)}, {parts[LedgerTable.ExpiresAt]} = {parts.Value(LedgerTable.Ttl(horizon))}",
                $"attribute_exists({leases}) AND ((attribute_not_exists({entry}) AND size({leases}) < {max}) OR ({entry}.{until} <= {nowValue} AND size({leases}) <= {max}))"),
        };
    }

    /// <summary>The leases item when none is there (new table, or removed by its TTL after 13 idle hours).</summary>
    public static PutItemRequest Create(string table, DateTimeOffset now)
    {
        var parts = new ExpressionParts();
        var item = LedgerTable.LeasesKey();
        item[LedgerTable.Leases] = new AttributeValue { M = [] };
        item[LedgerTable.ExpiresAt] = LedgerTable.Ttl(now + LedgerTable.LeasesHorizon);
        return new PutItemRequest
        {
            TableName = table,
            Item = item,
            ConditionExpression = $"attribute_not_exists({parts[LedgerTable.Leases]})",
            ExpressionAttributeNames = parts.Names,
        };
    }

    /// <summary>Removes expired leases, each only if it is still the same expired lease.</summary>
    public static UpdateItemRequest RemoveExpired(string table, IReadOnlyList<KeyValuePair<string, long>> expired, DateTimeOffset now)
    {
        var parts = new ExpressionParts();
        var leases = parts[LedgerTable.Leases];
        var until = parts[LedgerTable.Until];
        return parts.UpdateItem(
            table,
            LedgerTable.LeasesKey(),
            $"REMOVE {string.Join(", ", expired.Select(e => $"{leases}.{parts[e.Key]}"))} SET {parts[LedgerTable.ExpiresAt]} = {parts.Value(LedgerTable.Ttl(now + LedgerTable.LeasesHorizon))}",
            string.Join(" AND ", expired.Select(e => $"{leases}.{parts[e.Key]}.{until} = {parts.Value(e.Value)}")));
    }
}
