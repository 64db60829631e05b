using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RemediationWorker.Diagnostics;
using RemediationWorker.Intake;

namespace RemediationWorker.Commands;

/// <summary><c>run [--once]</c>: the worker. With the default configuration it reads the local event source
/// (<c>Intake:Local:Path</c>, default <c>samples/events</c>; read-only) and plans in dry-run.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var once = new Option<bool>("--once") { Description = "Drain the local event source and exit" };
        var command = new Command("run", "Runs the worker (the default command)") { once };
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult.GetValue(once), parseResult.InvocationConfiguration.Error, cancellationToken));
        return command;
    }

    /// <summary>How long the host waits for the worker to finish or release in-flight events after SIGTERM:
    /// below the task definition's <c>stopTimeout</c> (120 s) so the host ends before ECS sends SIGKILL. The
    /// host's own <c>shutdownTimeoutSeconds</c> setting wins when it is configured.</summary>
    public static readonly TimeSpan DefaultShutdownTimeout = TimeSpan.FromSeconds(100);

    /// <summary>What only the <c>run</c> host gets: the shutdown timeout and, when an endpoint is configured,
    /// OTLP export to the collector sidecar (docs/operations.md).</summary>
    internal static void ConfigureHost(HostApplicationBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Configuration["shutdownTimeoutSeconds"]))
        {
            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = DefaultShutdownTimeout);
        }

        builder.Services.AddOtlpExportIfConfigured(builder.Configuration);
    }

    /// <summary>0 when <c>--once</c> read every input (rejected ones included); <see cref="UnreadInputs.ExitCode"/>,
    /// naming each, when some could not be read or were left.</summary>
    private static int ReportUnread(UnreadInputs unread, TextWriter error)
    {
        var lines = unread.Lines();
        foreach (var line in lines)
        {
            error.WriteLine($"not read: {line}");
        }

        return lines.Count == 0 ? 0 : UnreadInputs.ExitCode;
    }

    public static async Task<int> RunAsync(bool once, TextWriter error, CancellationToken cancellationToken)
    {
        // No args: the host's own command-line provider would read "run --once" as configuration.
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddRemediationWorker(builder.Configuration);
        builder.Services.AddSingleton(new RunSettings(once));
        try
        {
            ConfigureHost(builder);
            using var host = builder.Build();
            var unread = host.Services.GetRequiredService<UnreadInputs>();
            await host.RunAsync(cancellationToken);
            return once ? ReportUnread(unread, error) : 0;
        }
        catch (OptionsValidationException ex)
        {
            foreach (var failure in ex.Failures)
            {
                await error.WriteLineAsync(failure);
            }

            return 1;
        }
    }
}
