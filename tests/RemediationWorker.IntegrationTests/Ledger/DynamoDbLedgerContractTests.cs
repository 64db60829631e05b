using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RemediationWorker.Ledger;

namespace RemediationWorker.IntegrationTests.Ledger;

/// <summary>The ledger contract on DynamoDB's wire protocol (moto), each test on a fresh table; plus what only a
/// shared store can show: two ledgers (two replicas) on one table keep the global limits together.</summary>
[Collection(AwsScenarios.Name)]
public sealed class DynamoDbLedgerContractTests(AwsFixture fixture) : LedgerContract
{
    internal override async Task<ILedger> CreateAsync() => Create(await fixture.Aws.CreateLedgerTableAsync(NewTableName()));

    [Fact]
    public async Task TryStartAsync_TwoReplicasOneTable_InFlightLimitHoldsAcrossThem()
    {
        var table = await fixture.Aws.CreateLedgerTableAsync(NewTableName());
        ILedger[] replicas = [Create(table), Create(table)];
        var limits = new Playbooks.GlobalLimitsOptions { MaxStartsPerMinute = 1000, MaxInFlight = 3 };

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => StartAsync(replicas[i % 2], $"e{i}", $"stack-{i}", T0, limits).AsTask()));

        Assert.Equal(3, results.Count(r => r == StartConflict.None));
        Assert.All(results.Where(r => r != StartConflict.None), r => Assert.Equal(StartConflict.InFlightLimited, r));
        Assert.Equal(3, (await replicas[1].ReadAsync(Key("e", "stack-x"), T0, CancellationToken.None)).InFlight);
    }

    [Fact]
    public async Task TryStartAsync_TwoReplicasOneTable_MinuteLimitHoldsAcrossThem()
    {
        var table = await fixture.Aws.CreateLedgerTableAsync(NewTableName());
        ILedger[] replicas = [Create(table), Create(table)];
        var limits = new Playbooks.GlobalLimitsOptions { MaxStartsPerMinute = 4, MaxInFlight = 1000 };

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => StartAsync(replicas[i % 2], $"e{i}", $"stack-{i}", T0.AddSeconds(i), limits).AsTask()));

        Assert.Equal(4, results.Count(r => r == StartConflict.None));
        Assert.All(results.Where(r => r != StartConflict.None), r => Assert.Equal(StartConflict.RateLimited, r));
    }

    [Fact]
    public async Task TryStartAsync_ExpiredLeasesFillTheCount_RemovedAndTheStartGoesThrough()
    {
        var table = await fixture.Aws.CreateLedgerTableAsync(NewTableName());
        var ledger = Create(table);
        var limits = new Playbooks.GlobalLimitsOptions { MaxStartsPerMinute = 1000, MaxInFlight = 2 };
        await StartAsync(ledger, "e1", "stack-a", T0, limits); // both replicas die: their leases stay in the map
        await StartAsync(ledger, "e2", "stack-b", T0, limits);

        Assert.Equal(StartConflict.None, await StartAsync(ledger, "e3", "stack-c", T0.AddHours(1), limits));
        Assert.Equal(StartConflict.None, await StartAsync(ledger, "e4", "stack-d", T0.AddHours(1), limits));
        Assert.Equal(StartConflict.InFlightLimited, await StartAsync(ledger, "e5", "stack-e", T0.AddHours(1), limits));
    }

    /// <summary>A ledger as <c>run</c> composes it with <c>Ledger:Store=DynamoDb</c>, its client pointed at moto.</summary>
    internal ILedger Create(string table)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ledger:Store"] = "DynamoDb",
            ["Ledger:TableName"] = table,
            ["Aws:Resilience:BaseDelay"] = "00:00:00.010",
            ["Aws:Resilience:MaxDelay"] = "00:00:00.100",
        }).Build();
        var services = new ServiceCollection().AddLogging().AddRemediationWorker(configuration);
        services.AddSingleton(fixture.Aws.CreateDynamoDb());
        return services.BuildServiceProvider().GetRequiredService<ILedger>();
    }

    private static string NewTableName() => "ledger-" + Guid.NewGuid().ToString("N")[..12];
}
