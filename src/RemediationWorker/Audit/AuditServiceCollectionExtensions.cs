using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RemediationWorker.Audit;
using RemediationWorker.Remediation;

namespace Microsoft.Extensions.DependencyInjection;

internal static class AuditServiceCollectionExtensions
{
    /// <summary>Adds the hash-chained audit log: <see cref="AuditOptions"/> bound from the section <c>Audit</c> and
    /// validated at start, and <see cref="JsonLinesAuditSink"/> as the <see cref="IAuditSink"/>, with the archive
    /// and signer <c>Audit:Digests</c> asks for (an <see cref="IAuditArchive"/> or <see cref="IAuditDigestSigner"/>
    /// registered by a test wins). The host disposes the sink on shutdown, which flushes and anchors it.</summary>
    public static IServiceCollection AddAudit(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptionsWithValidateOnStart<AuditOptions, AuditOptionsValidator>()
            .BindConfiguration(AuditOptions.SectionName);
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<AuditOptions>>();
            var digests = options.Value.Digests;
            var worker = sp.GetService<WorkerIdentity>()?.Id;
            var archive = sp.GetService<IAuditArchive>()
                ?? (string.IsNullOrWhiteSpace(digests.Bucket) ? null : S3AuditArchive.Create(digests, worker ?? Environment.MachineName));
            var signer = sp.GetService<IAuditDigestSigner>()
                ?? (string.IsNullOrWhiteSpace(digests.SigningKeyId) ? null : KmsAuditDigestSigner.Create(digests.SigningKeyId));
            return new JsonLinesAuditSink(
                options, sp.GetRequiredService<ILogger<JsonLinesAuditSink>>(), sp.GetService<TimeProvider>(), worker, archive, signer);
        });
        services.TryAddSingleton<IAuditSink>(sp => sp.GetRequiredService<JsonLinesAuditSink>());
        services.TryAddSingleton<AuditGate>();
        return services;
    }
}
