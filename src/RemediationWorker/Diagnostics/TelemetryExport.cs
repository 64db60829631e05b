using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Resources;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace RemediationWorker.Diagnostics;

/// <summary>OpenTelemetry export over OTLP (to the ADOT collector sidecar on ECS), wired only in the <c>run</c>
/// host and only when an endpoint is configured: <c>Telemetry:OtlpEndpoint</c>, else the standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>. Local runs and tests export nothing.</summary>
internal static class TelemetryExport
{
    public const string OtlpEndpointKey = "Telemetry:OtlpEndpoint";
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string DefaultServiceName = "remediation-worker";

    /// <summary>The configured endpoint, or <see langword="null"/> when export is off.</summary>
    public static string? ResolveEndpoint(IConfiguration configuration)
    {
        var option = configuration[OtlpEndpointKey];
        if (!string.IsNullOrWhiteSpace(option))
        {
            return option;
        }

        var variable = configuration[OtlpEndpointVariable];
        return string.IsNullOrWhiteSpace(variable) ? null : variable;
    }

    /// <summary>Adds the tracer and meter providers with OTLP exporters when an endpoint is configured.</summary>
    /// <returns>Whether export was added.</returns>
    /// <exception cref="OptionsValidationException">The endpoint is not an absolute URI.</exception>
    public static bool AddOtlpExportIfConfigured(this IServiceCollection services, IConfiguration configuration)
    {
        var endpoint = ResolveEndpoint(configuration);
        if (endpoint is null)
        {
            return false;
        }

        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new OptionsValidationException(OtlpEndpointKey, typeof(string), [$"Telemetry: the OTLP endpoint '{endpoint}' is not an absolute http(s) URI"]);
        }

        // Set from the option only: from the variable the exporter reads it itself (with OTEL_EXPORTER_OTLP_PROTOCOL
        // and the per-signal paths of http/protobuf).
        var fromOption = !string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey]);
        var serviceName = configuration["OTEL_SERVICE_NAME"];
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(string.IsNullOrWhiteSpace(serviceName) ? DefaultServiceName : serviceName))
            .WithTracing(tracing => tracing
                .AddSource(WorkerTelemetry.ActivitySourceName)
                .AddOtlpExporter(o =>
                {
                    if (fromOption)
                    {
                        o.Endpoint = uri;
                    }
                }))
            .WithMetrics(metrics => metrics
                .AddMeter(WorkerMetrics.MeterName)
                .AddOtlpExporter(o =>
                {
                    if (fromOption)
                    {
                        o.Endpoint = uri;
                    }
                }));
        return true;
    }
}
