namespace RemediationWorker.IntegrationTests;

/// <summary>The ledger the replicas share, by configuration.</summary>
internal static class ReplicaLedger
{
    /// <summary>The store the replica tests run on.</summary>
    public const string Store = "InMemory";

    /// <summary>Until the DynamoDB ledger is merged, each replica has its own in-memory ledger: the ClientToken
    /// keeps runs single, but nothing keeps a resource's runs apart.</summary>
    public const string Pending = "needs the shared DynamoDB ledger (branch ledger)";

    /// <summary>A playbook timeout for runs that a test kills: the lease (timeout plus the margin) lapses soon.</summary>
    public const string ShortTimeout = "00:00:05";

    /// <summary>A <see cref="WorkerProcess"/>'s settings on <paramref name="queueUrl"/> with a ledger table of its own
    /// (named after <paramref name="name"/>), created.</summary>
    public static async Task<Dictionary<string, string?>> SharedAsync(AwsEndpoints aws, string queueUrl, string name)
    {
        var settings = WorkerProcessSettings.Live(aws, queueUrl);
        Configure(settings, Store, $"ledger-{name}-{Guid.NewGuid():N}");
        await CreateTableAsync(aws, settings);
        return settings;
    }

    public static void Configure(Dictionary<string, string?> settings, string store, string tableName)
    {
        settings["Ledger:Store"] = store;
        settings["Ledger:TableName"] = tableName;
    }

    public static Task CreateTableAsync(AwsEndpoints aws, IReadOnlyDictionary<string, string?> settings) => Task.CompletedTask;
}
