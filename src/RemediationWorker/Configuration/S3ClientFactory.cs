using Amazon.S3;
using Microsoft.Extensions.Configuration;
using RemediationWorker.Aws;

namespace RemediationWorker.Configuration;

/// <summary>The S3 client that reads the configuration. It is configured before the configuration exists, so from
/// environment variables only: <c>Aws__Region</c>, the project's endpoint key <c>Aws__S3__ServiceUrl</c>, else the
/// SDK's standard <c>AWS_ENDPOINT_URL_S3</c> or <c>AWS_ENDPOINT_URL</c>
/// (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html). With an endpoint, addressing is
/// path-style (an emulator such as moto has no per-bucket host names). Credentials: the SDK's default chain.</summary>
internal static class S3ClientFactory
{
    public static IAmazonS3 Create(Func<string, string?> environment)
    {
        var bootstrap = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        var endpoint = FirstSet(bootstrap["Aws:S3:ServiceUrl"], environment("AWS_ENDPOINT_URL_S3"), environment("AWS_ENDPOINT_URL"));
        var region = FirstSet(bootstrap["Aws:Region"], environment("AWS_REGION"), environment("AWS_DEFAULT_REGION")) ?? string.Empty;
        return new AmazonS3Client(Configure(endpoint, region));
    }

    public static AmazonS3Config Configure(string? endpoint, string region)
    {
        var config = AwsClientFactory.Configure(new AmazonS3Config(), region, new AwsServiceOptions { ServiceUrl = endpoint ?? string.Empty });
        // The start-up read retries on its own (ConfigurationDocumentReader) and a poll simply comes again.
        config.ForcePathStyle = endpoint is not null;
        return config;
    }

    private static string? FirstSet(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
}
