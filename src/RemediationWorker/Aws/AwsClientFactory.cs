using Amazon;
using Amazon.Extensions.NETCore.Setup;
using Amazon.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace RemediationWorker.Aws;

/// <summary>Builds the SDK clients from <see cref="AwsOptions"/>. Retries live in the Polly pipelines
/// (<see cref="AwsResiliencePipelines"/>): the SDK's own are pinned explicitly so the layers never multiply
/// (the AWS SDK for .NET's retry behaviour: <c>MaxErrorRetry = 0</c>, <c>RetryMode = Standard</c>, immune to <c>AWS_MAX_ATTEMPTS</c> and
/// <c>AWS_NEW_RETRIES_2026</c>). SQS keeps none either: the poll loop and the visibility back-off are its retries.</summary>
internal static class AwsClientFactory
{
    /// <summary>Registers client <typeparamref name="T"/> through <c>AWSSDK.Extensions.NETCore.Setup</c>, created on
    /// first use with the registered <see cref="AWSOptions"/> (credentials: the default chain, or <c>Aws:Profile</c>),
    /// then configured by <see cref="Configure{T}"/> with the service's own settings. A client registered before
    /// wins.</summary>
    public static IServiceCollection TryAddAwsClient<T>(this IServiceCollection services, Func<AwsOptions, AwsServiceOptions> service)
        where T : IAmazonService
        => services.TryAddAWSService<T>(
            null!, // the AWSOptions registered in the container (AddAwsAdapters)
            (config, provider) =>
            {
                var options = provider.GetRequiredService<IOptions<AwsOptions>>().Value;
                Configure(config, options.Region, service(options));
            },
            ServiceLifetime.Singleton);

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
