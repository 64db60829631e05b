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

    /// <summary>The exit code when the audit log could not be written (nothing was started without its record).</summary>
    public const int AuditUnavailableExitCode = 3;

    /// <summary>What only the <c>run</c> host gets: when an endpoint is configured, OTLP export to the collector
    /// sidecar (docs/operations.md). The shutdown timeout is set once, by AddRemediationWorker.</summary>
    internal static void ConfigureHost(HostApplicationBuilder builder)
    {
        builder.Services.AddOtlpExportIfConfigured(builder.Configuration);
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
            var auditGate = host.Services.GetRequiredService<RemediationWorker.Audit.AuditGate>(); // RunAsync disposes the services
            await host.RunAsync(cancellationToken);
            if (auditGate.Reason is { } reason)
            {
                await error.WriteLineAsync(reason);
                return AuditUnavailableExitCode;
            }

            return 0;
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
