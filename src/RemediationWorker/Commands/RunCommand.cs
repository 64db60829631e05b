using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RemediationWorker.Configuration;
using RemediationWorker.Diagnostics;
using RemediationWorker.Intake;

namespace RemediationWorker.Commands;

/// <summary><c>run [--once] [--config FILE|s3://BUCKET/KEY]</c>: the worker. With the repository's configuration it
/// reads the local event source (<c>Intake:Local:Path</c>, default <c>samples/events</c>; read-only) and plans in
/// dry-run. Exit 0 when stopped (or drained with <c>--once</c>); 1 for an invalid configuration; 2 when the
/// configuration or the local events cannot be read (throttling, 5xx and network errors on an S3 configuration are
/// retried for up to 2 minutes first); 3 when a failure stopped the worker before its work was done.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var once = new Option<bool>("--once") { Description = "Drain the local event source and exit" };
        var config = CommandConfiguration.CreateOption();
        var command = new Command("run", "Runs the worker (the default command)") { once, config };
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult.GetValue(config), parseResult.GetValue(once), parseResult.InvocationConfiguration.Error, cancellationToken));
        return command;
    }

    /// <summary>What only the <c>run</c> host gets: when an endpoint is configured, OTLP export to the collector
    /// sidecar (docs/operations.md). The shutdown timeout is set once, by AddRemediationWorker.</summary>
    internal static void ConfigureHost(HostApplicationBuilder builder)
    {
        builder.Services.AddOtlpExportIfConfigured(builder.Configuration);
    }

    /// <summary>0 when <c>--once</c> read every input (rejected ones included); <see cref="ExitCodes.Unfinished"/>,
    /// naming each, when some could not be read or were left.</summary>
    private static int ReportUnread(UnreadInputs unread, TextWriter error)
    {
        var lines = unread.Lines();
        foreach (var line in lines)
        {
            error.WriteLine($"not read: {line}");
        }

        return lines.Count == 0 ? ExitCodes.Done : ExitCodes.Unfinished;
    }

    public static async Task<int> RunAsync(string? config, bool once, TextWriter error, CancellationToken cancellationToken)
    {
        using var reader = CommandConfiguration.CreateReader();
        ConfigurationLocation location;
        CommandConfiguration loaded;
        try
        {
            location = ConfigurationDiscovery.Find(config);
            loaded = await CommandConfiguration.LoadAsync(location, reader, ConfigurationDocumentReader.StartRetryLimit, TimeProvider.System,
                (reason, delay) => error.WriteLine($"reading the configuration {location}: {reason}; trying again in {delay.TotalSeconds:0} s"), cancellationToken);
        }
        catch (ConfigurationUnavailableException ex)
        {
            await error.WriteLineAsync(ex.Message);
            return ExitCodes.Unreadable;
        }

        // No args: the host's own command-line provider would read "run --once" as configuration. The document and
        // the environment are the whole configuration (ConfigurationLayers): nothing from the working directory.
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddDocument(loaded.Provider);
        if (once && MissingLocalEvents(builder.Configuration) is { } missing)
        {
            await error.WriteLineAsync(missing);
            return ExitCodes.Unreadable;
        }

        var status = new ConfigurationStatus(ConfigurationStatus.PathFor(HeartbeatPath(builder.Configuration)));
        status.Loaded(loaded.Document);
        builder.Services.AddSingleton(status);
        builder.Services.AddSingleton(new WatchedConfiguration(location, loaded.Provider, reader, status));
        builder.Services.AddRemediationWorker(builder.Configuration);
        builder.Services.AddHostedService<ConfigurationWatcher>();
        builder.Services.AddSingleton(new RunSettings(once));
        try
        {
            ConfigureHost(builder);
            using var host = builder.Build();
            var auditGate = host.Services.GetRequiredService<RemediationWorker.Audit.AuditGate>(); // RunAsync disposes the services
            var unread = host.Services.GetRequiredService<UnreadInputs>();
            var workers = host.Services.GetServices<IHostedService>().OfType<BackgroundService>().ToList();
            await host.RunAsync(cancellationToken);
            if (auditGate.Reason is { } reason)
            {
                await error.WriteLineAsync(reason);
                return ExitCodes.Unfinished;
            }

            if (await StoppedByFailureAsync(workers, error))
            {
                return ExitCodes.Unfinished;
            }

            return once ? ReportUnread(unread, error) : ExitCodes.Done;
        }
        catch (OptionsValidationException ex)
        {
            foreach (var failure in ex.Failures)
            {
                await error.WriteLineAsync(failure);
            }

            // A worker cannot start on a configuration it cannot use: like one it cannot read (validate reports 1).
            return ExitCodes.Unreadable;
        }
        catch (Exception ex) when (ex.GetBaseException() is IOException or UnauthorizedAccessException)
        {
            // A file the worker must write (the audit chain) cannot be: nothing may be decided unaudited.
            await error.WriteLineAsync($"the worker cannot start: {ex.GetBaseException().Message}");
            return ExitCodes.Unfinished;
        }
    }

    /// <summary><c>run --once</c> drains a local folder: one that does not exist is input that cannot be read.</summary>
    private static string? MissingLocalEvents(ConfigurationManager configuration)
    {
        var intake = new IntakeOptions();
        configuration.GetSection(IntakeOptions.SectionName).Bind(intake);
        if (intake.Source != IntakeSource.Local || Directory.Exists(intake.Local.Path) || File.Exists(intake.Local.Path))
        {
            return null;
        }

        return $"no events to read: the local event source {Path.GetFullPath(intake.Local.Path)} (Intake:Local:Path) does not exist";
    }

    private static string HeartbeatPath(ConfigurationManager configuration)
    {
        var health = new HealthOptions();
        configuration.GetSection(HealthOptions.SectionName).Bind(health);
        return health.ResolveHeartbeatPath();
    }

    /// <summary>A background service that failed stopped the host (BackgroundServiceExceptionBehavior.StopHost): the
    /// host has logged it; the exit code says the work is not done, and stderr says why in one line.</summary>
    private static async Task<bool> StoppedByFailureAsync(List<BackgroundService> workers, TextWriter error)
    {
        var failed = workers
            .Select(s => s.ExecuteTask).Where(t => t is { IsFaulted: true }).Select(t => t!.Exception!.GetBaseException()).ToList();
        foreach (var exception in failed)
        {
            await error.WriteLineAsync($"the worker stopped: {exception.Message}");
        }

        return failed.Count > 0;
    }
}
