using System.CommandLine;
using Microsoft.Extensions.Configuration;
using RemediationWorker.Configuration;
using RemediationWorker.Diagnostics;

namespace RemediationWorker.Commands;

/// <summary><c>health [--config FILE|s3://BUCKET/KEY]</c>: the container health check. Exit 0 with <c>healthy: …</c>
/// when the poll loop's heartbeat (<c>Health:HeartbeatPath</c>) is younger than <c>Health:MaxSilence</c>; else exit 1
/// with <c>unhealthy: reason</c> on stdout (no heartbeat yet, stale with its age, unreadable, bad configuration), or
/// 2 when no configuration is found. Either way the line ends with the configuration version the worker has in force
/// and the last one it refused (<see cref="ConfigurationStatus"/>): a refused edit leaves the worker healthy, so ECS
/// never replaces working tasks for it. It never calls S3: with an <c>s3://</c> configuration the Health keys come
/// from environment variables (and their defaults) only.</summary>
internal static class HealthCommand
{
    public static Command Create()
    {
        var config = CommandConfiguration.CreateOption();
        var command = new Command("health", "Reports whether the worker's poll loop is making progress (exit 0 healthy, 1 unhealthy)") { config };
        command.SetAction(parseResult => Run(parseResult.GetValue(config), TimeProvider.System, parseResult.InvocationConfiguration.Output));
        return command;
    }

    public static int Run(string? config, TimeProvider timeProvider, TextWriter output)
    {
        HealthReport report;
        var exitCode = ExitCodes.Finding;
        try
        {
            report = Check(ConfigurationDiscovery.Find(config), timeProvider);
        }
        catch (ConfigurationUnavailableException ex)
        {
            report = new HealthReport(false, $"configuration: {ex.Message}");
            exitCode = ExitCodes.Unreadable;
        }

        output.WriteLine(report.ToString());
        return report.IsHealthy ? ExitCodes.Done : exitCode;
    }

    public static HealthReport Check(ConfigurationLocation location, TimeProvider timeProvider)
    {
        HealthOptions options;
        try
        {
            options = Bind(Read(location));
        }
        catch (Exception ex) when (ex is ConfigurationUnavailableException or InvalidOperationException)
        {
            return new HealthReport(false, $"configuration: {ex.Message}");
        }

        var validation = new HealthOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            return new HealthReport(false, $"configuration: {validation.FailureMessage}");
        }

        var heartbeat = HeartbeatCheck.Evaluate(options.ResolveHeartbeatPath(), options.MaxSilence, timeProvider.GetUtcNow());
        return ConfigurationStatus.Read(ConfigurationStatus.PathFor(options.ResolveHeartbeatPath())) is { Length: > 0 } status
            ? heartbeat with { Reason = $"{heartbeat.Reason}; {status}" }
            : heartbeat;
    }

    /// <summary>A local file is read; an S3 object is not (a health check every 30 s per task would be S3 traffic,
    /// and S3 trouble must not make a working task unhealthy).</summary>
    private static IConfiguration Read(ConfigurationLocation location)
    {
        if (location.IsS3)
        {
            return new ConfigurationBuilder().AddEnvironmentVariables().Build();
        }

        return ConfigurationLayers.Build(DocumentConfigurationProvider.Parse(ConfigurationDocumentReader.ReadFile(location)));
    }

    private static HealthOptions Bind(IConfiguration configuration)
    {
        var options = new HealthOptions();
        configuration.GetSection(HealthOptions.SectionName).Bind(options);
        return options;
    }
}
