using Amazon;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Amazon.SQS;

namespace RemediationWorker.Aws;

/// <summary>Builds the SDK clients from <see cref="AwsOptions"/>. Retries live in the Polly pipelines
/// (<see cref="AwsResiliencePipelines"/>): the SDK's own are pinned explicitly so the layers never multiply
/// (aws-facts 4.1: <c>MaxErrorRetry = 0</c>, <c>RetryMode = Standard</c>, immune to <c>AWS_MAX_ATTEMPTS</c> and
/// <c>AWS_NEW_RETRIES_2026</c>). SQS keeps none either: the poll loop and the visibility back-off are its retries.</summary>
internal static class AwsClientFactory
{
    public static IAmazonSimpleSystemsManagement CreateSsm(AwsOptions options)
        => new AmazonSimpleSystemsManagementClient(Configure(new AmazonSimpleSystemsManagementConfig(), options.Region, options.Ssm));

    public static IAmazonSQS CreateSqs(AwsOptions options)
        => new AmazonSQSClient(Configure(new AmazonSQSConfig(), options.Region, options.Sqs));

    public static IAmazonDynamoDB CreateDynamoDb(AwsOptions options)
        => new AmazonDynamoDBClient(Configure(new AmazonDynamoDBConfig(), options.Region, options.DynamoDb));

    /// <summary>Applies region, endpoint, timeout and the pinned retry settings.</summary>
    public static T Configure<T>(T config, string region, AwsServiceOptions service)
        where T : ClientConfig
    {
        config.MaxErrorRetry = 0;
        config.RetryMode = RequestRetryMode.Standard;
        config.Timeout = service.Timeout;
        if (!string.IsNullOrWhiteSpace(service.ServiceUrl))
        {
            config.ServiceURL = service.ServiceUrl;
            if (!string.IsNullOrWhiteSpace(region))
            {
                config.AuthenticationRegion = region;
            }
        }
        else if (!string.IsNullOrWhiteSpace(region))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }

        return config;
    }
}
