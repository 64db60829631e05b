using Amazon.DynamoDBv2;
using Amazon.Extensions.NETCore.Setup;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Amazon.SQS;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace RemediationWorker.Tests.Aws;

/// <summary>The clients the composition hands out (built by AWSSDK.Extensions.NETCore.Setup) carry the pinned retry
/// settings and each service's own endpoint.</summary>
public sealed class AwsClientCompositionTests
{
    [Fact]
    public void Clients_ServiceUrls_EachOwnEndpointSignedForTheRegionAndNoSdkRetries()
    {
        using var services = Compose(new()
        {
            ["Aws:Region"] = "eu-west-1",
            ["Aws:Sqs:ServiceUrl"] = "http://127.0.0.1:4566",
            ["Aws:Ssm:ServiceUrl"] = "http://127.0.0.1:4567",
            ["Aws:Ssm:Timeout"] = "00:00:07",
            ["Aws:DynamoDb:ServiceUrl"] = "http://127.0.0.1:4568",
            ["Ledger:Store"] = "DynamoDb",
            ["Ledger:TableName"] = "remediation-ledger",
        });

        var sqs = Config(services.GetRequiredService<IAmazonSQS>());
        var ssm = Config(services.GetRequiredService<IAmazonSimpleSystemsManagement>());
        var dynamoDb = Config(services.GetRequiredService<IAmazonDynamoDB>());

        Assert.Equal("http://127.0.0.1:4566", sqs.ServiceURL.TrimEnd('/'));
        Assert.Equal("http://127.0.0.1:4567", ssm.ServiceURL.TrimEnd('/'));
        Assert.Equal("http://127.0.0.1:4568", dynamoDb.ServiceURL.TrimEnd('/'));
        Assert.Equal(TimeSpan.FromSeconds(7), ssm.Timeout);
        Assert.All([sqs, ssm, dynamoDb], config =>
        {
            Assert.Equal(0, config.MaxErrorRetry);
            Assert.Equal(RequestRetryMode.Standard, config.RetryMode);
            Assert.Equal("eu-west-1", config.AuthenticationRegion);
        });
    }

    [Fact]
    public void Clients_RegionOnly_UseTheRegionsEndpoints()
    {
        using var services = Compose(new() { ["Aws:Region"] = "ap-southeast-2" });

        var sqs = Config(services.GetRequiredService<IAmazonSQS>());

        Assert.Equal("ap-southeast-2", sqs.RegionEndpoint?.SystemName);
        Assert.Null(sqs.ServiceURL);
        Assert.Equal(0, sqs.MaxErrorRetry);
    }

    private static ServiceProvider Compose(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection()
            .AddLogging()
            .AddDefaultAWSOptions(new AWSOptions { Credentials = new BasicAWSCredentials("testing", "testing") }) // not the machine's chain
            .AddSingleton<IConfiguration>(configuration)
            .AddAwsAdapters(configuration)
            .AddLedger(configuration)
            .BuildServiceProvider();
    }

    private static IClientConfig Config(IAmazonService client) => client.Config;
}
