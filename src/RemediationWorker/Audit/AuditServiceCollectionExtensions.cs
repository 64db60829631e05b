using Microsoft.Extensions.DependencyInjection.Extensions;
using RemediationWorker.Audit;

namespace Microsoft.Extensions.DependencyInjection;

internal static class AuditServiceCollectionExtensions
{
    /// <summary>Adds the hash-chained audit log: <see cref="AuditOptions"/> bound from the section <c>Audit</c> and
    /// validated at start, and <see cref="JsonLinesAuditSink"/> as the <see cref="IAuditSink"/>. The host disposes
    /// the sink on shutdown, which flushes it.</summary>
    public static IServiceCollection AddAudit(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptionsWithValidateOnStart<AuditOptions, AuditOptionsValidator>()
            .BindConfiguration(AuditOptions.SectionName);
        services.TryAddSingleton<JsonLinesAuditSink>();
        services.TryAddSingleton<IAuditSink>(sp => sp.GetRequiredService<JsonLinesAuditSink>());
        services.TryAddSingleton<AuditGate>();
        return services;
    }
}
