using System.CommandLine;
using Microsoft.Extensions.Configuration;
using RemediationWorker.Diagnostics;

namespace RemediationWorker.Commands;

/// <summary><c>health [--config FILE]</c>: the container health check. Exit 0 with <c>healthy: …</c> when the
/// poll loop's heartbeat (<c>Health:HeartbeatPath</c>) is younger than <c>Health:MaxSilence</c>; else exit 1 with
/// <c>unhealthy: reason</c> on stdout (no heartbeat yet, stale with its age, unreadable, bad configuration).</summary>
internal static class HealthCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "The configuration file (default: appsettings.json); environment variables apply on top" };
        var command = new Command("health", "Reports whether the worker's poll loop is making progress (exit 0 healthy, 1 unhealthy)") { config };
        command.SetAction(parseResult => Run(parseResult.GetValue(config), TimeProvider.System, parseResult.InvocationConfiguration.Output));
        return command;
    }

    public static int Run(string? configFile, TimeProvider timeProvider, TextWriter output)
    {
        var report = Check(configFile, timeProvider);
        output.WriteLine(report.ToString());
        return report.IsHealthy ? 0 : 1;
    }

    public static HealthReport Check(string? configFile, TimeProvider timeProvider)
    {
        HealthOptions options;
        try
        {
            options = Bind(CommandConfiguration.Build(configFile));
        }
        catch (Exception ex) when (ex is FileNotFoundException or InvalidDataException or InvalidOperationException)
        {
            return new HealthReport(false, $"configuration: {ex.Message}");
        }

        var validation = new HealthOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            return new HealthReport(false, $"configuration: {validation.FailureMessage}");
        }

        return HeartbeatCheck.Evaluate(options.ResolveHeartbeatPath(), options.MaxSilence, timeProvider.GetUtcNow());
    }

    private static HealthOptions Bind(IConfiguration configuration)
    {
        var options = new HealthOptions();
        configuration.GetSection(HealthOptions.SectionName).Bind(options);
        return options;
    }
}
