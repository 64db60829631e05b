using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RemediationWorker.Aws;
using RemediationWorker.Diagnostics;
using RemediationWorker.Escalation;
using RemediationWorker.Execution;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The production edges: the SDK clients (<c>Aws</c> section), the resilience pipelines, the shared
/// start limiter and the SSM Automation runner. Clients are created on first use, so a dry-run never needs
/// credentials; tests replace them by registering their own (last registration wins).</summary>
internal static class AwsServiceCollectionExtensions
{
    public static IServiceCollection AddAwsAdapters(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddWorkerDiagnostics(configuration);
        services.AddOptions<AwsOptions>().Bind(configuration.GetSection(AwsOptions.SectionName));
        services.AddOptionsWithValidateOnStart<SsmAutomationOptions, SsmAutomationOptionsValidator>()
            .Bind(configuration.GetSection(SsmAutomationOptions.SectionName));
        services.AddAwsResiliencePipelines();
        services.TryAddDefaultAWSOptions(configuration.GetAWSOptions(AwsOptions.SectionName));
        services.TryAddAwsClient<Amazon.SimpleSystemsManagement.IAmazonSimpleSystemsManagement>(o => o.Ssm);
        services.TryAddAwsClient<Amazon.SQS.IAmazonSQS>(o => o.Sqs);
        // Lazy: the runner and the OpsItem sink exist in every composition, but a dry run never builds a client
        // (and so never needs a region or credentials). Every client is counted where it is handed out.
        services.TryAddSingleton(sp => new Lazy<Amazon.SimpleSystemsManagement.IAmazonSimpleSystemsManagement>(
            () => AwsCallMetrics.Attach(sp.GetRequiredService<Amazon.SimpleSystemsManagement.IAmazonSimpleSystemsManagement>(), "ssm", sp.GetRequiredService<WorkerMetrics>())));
        services.TryAddSingleton(sp => new Lazy<Amazon.SQS.IAmazonSQS>(
            () => AwsCallMetrics.Attach(sp.GetRequiredService<Amazon.SQS.IAmazonSQS>(), "sqs", sp.GetRequiredService<WorkerMetrics>())));
        services.TryAddSingleton<AdaptiveStartLimiter>();
        services.TryAddSingleton<SsmAutomationRunner>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAutomationRunner, SsmAutomationRunner>(sp => sp.GetRequiredService<SsmAutomationRunner>()));
        services.TryAddSingleton<SsmOpsItemEscalationSink>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IEscalationSink, SsmOpsItemEscalationSink>(sp => sp.GetRequiredService<SsmOpsItemEscalationSink>()));
        return services;
    }
}
