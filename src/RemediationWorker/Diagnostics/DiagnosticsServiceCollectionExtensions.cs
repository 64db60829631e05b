using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RemediationWorker.Diagnostics;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The meter (docs/operations.md) and the progress heartbeat for <c>health</c>: needed by the pipeline and
/// by the AWS edges alike, so each composition that uses either adds them (once).</summary>
internal static class DiagnosticsServiceCollectionExtensions
{
    public static IServiceCollection AddWorkerDiagnostics(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(WorkerMetrics)))
        {
            return services;
        }

        services.AddMetrics();
        services.AddBoundedLogLines();
        services.TryAddSingleton<WorkerMetrics>();
        services.AddOptionsWithValidateOnStart<HealthOptions, HealthOptionsValidator>().Bind(configuration.GetSection(HealthOptions.SectionName));
        services.TryAddSingleton<Heartbeat>();
        return services;
    }
}
