namespace RemediationWorker.IntegrationTests;

/// <summary>Starts the endpoints once for the scenarios of the collection and stops them (killing the process
/// tree) at the end.</summary>
public sealed class AwsFixture : IAsyncLifetime
{
    public AwsEndpoints Aws { get; private set; } = null!;

    public async Task InitializeAsync() => Aws = await AwsEndpoints.StartAsync();

    public async Task DisposeAsync() => await Aws.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class AwsScenarios : ICollectionFixture<AwsFixture>
{
    public const string Name = "aws";
}
