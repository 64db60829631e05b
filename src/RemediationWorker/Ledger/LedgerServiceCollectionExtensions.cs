using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RemediationWorker.Aws;
using RemediationWorker.Ledger;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The ledger chosen by <c>Ledger:Store</c>: in memory (the default; no AWS) or the DynamoDB table
/// shared by replicas. A ledger registered before this call wins (TryAdd).</summary>
internal static class LedgerServiceCollectionExtensions
{
    public static IServiceCollection AddLedger(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(LedgerOptions.SectionName);
        services.AddOptionsWithValidateOnStart<LedgerOptions, LedgerOptionsValidator>().Bind(section);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LedgerOptions>, LedgerRulesValidator>());
        if (section.GetValue<LedgerStore>(nameof(LedgerOptions.Store)) == LedgerStore.DynamoDb)
        {
            services.TryAddSingleton(sp => AwsClientFactory.CreateDynamoDb(sp.GetRequiredService<IOptions<AwsOptions>>().Value));
            // Lazy: the host validates its options before anything builds a client (which needs a region).
            services.TryAddSingleton(sp => new Lazy<Amazon.DynamoDBv2.IAmazonDynamoDB>(sp.GetRequiredService<Amazon.DynamoDBv2.IAmazonDynamoDB>));
            services.TryAddSingleton<ILedger, DynamoDbLedger>();
        }
        else
        {
            services.TryAddSingleton<ILedger, InMemoryLedger>();
        }

        return services;
    }
}
