namespace RemediationWorker.IntegrationTests;

/// <summary>The ledger the replicas share: a DynamoDB table of their own at moto, reached through the front (which
/// forwards DynamoDB calls one at a time, giving moto's transactions DynamoDB's isolation).</summary>
internal static class ReplicaLedger
{
    /// <summary>A playbook timeout for runs that a test kills: the lease (timeout plus the margin) lapses soon.</summary>
    public const string ShortTimeout = "00:00:05";

    /// <summary>The least <c>Ledger:LeaseMargin</c> (1 minute by default) for tests that wait for a killed replica's
    /// lease to end before its run is taken over.</summary>
    public const string ShortLeaseMargin = "00:00:05";

    /// <summary>A <see cref="WorkerProcess"/>'s settings on <paramref name="queueUrl"/> with a new ledger table
    /// (named after <paramref name="name"/>).</summary>
    public static async Task<Dictionary<string, string?>> SharedAsync(AwsEndpoints aws, string queueUrl, string name)
    {
        var settings = WorkerProcessSettings.Live(aws, queueUrl);
        await ConfigureAsync(aws, settings, "DynamoDb", $"ledger-{name}-{Guid.NewGuid():N}");
        return settings;
    }

    /// <summary>Points the settings at <paramref name="store"/>; for DynamoDb, at a new table.</summary>
    public static async Task ConfigureAsync(AwsEndpoints aws, Dictionary<string, string?> settings, string store, string tableName)
    {
        settings["Ledger:Store"] = store;
        if (store == "DynamoDb")
        {
            settings["Ledger:TableName"] = await aws.CreateLedgerTableAsync(tableName);
            settings["Aws:DynamoDb:ServiceUrl"] = aws.Front.Url;
        }
    }
}
