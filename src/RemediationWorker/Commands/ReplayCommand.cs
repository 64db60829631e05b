using System.CommandLine;
using RemediationWorker.Configuration;
using RemediationWorker.Playbooks;
using RemediationWorker.Replay;

namespace RemediationWorker.Commands;

/// <summary><c>replay EVENTS [--config FILE|s3://BUCKET/KEY] [--format table|json]</c>: what the playbooks and guards
/// would have decided for saved events, in dry-run. Exit 1 for an invalid configuration, 2 when the configuration or
/// the events cannot be read.</summary>
internal static class ReplayCommand
{
    public static Command Create()
    {
        var events = new Argument<string>("EVENTS") { Description = "A .json file (one event), a .jsonl file (one event per line) or a directory of them, read in name order" };
        var config = CommandConfiguration.CreateOption();
        var format = new Option<string>("--format") { Description = "table, or json: one JSON line per verdict, then a {\"summary\": ...} line", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var command = new Command("replay", "Runs saved events through the playbooks and guards in dry-run, the guards' clock following each event's time") { events, config, format };
        command.SetAction((parseResult, cancellationToken) => CommandOutput.WithOutputAsync(parseResult, output => RunAsync(
            parseResult.GetRequiredValue(events),
            parseResult.GetValue(config),
            parseResult.GetValue(format) == "json" ? ReplayFormat.Json : ReplayFormat.Table,
            output,
            parseResult.InvocationConfiguration.Error,
            cancellationToken)));
        return command;
    }

    /// <param name="configFile">A file or <c>s3://BUCKET/KEY</c>; null finds it as every command does.</param>
    public static async Task<int> RunAsync(string eventsPath, string? configFile, ReplayFormat format, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        Microsoft.Extensions.Configuration.IConfigurationRoot configuration;
        try
        {
            configuration = (await CommandConfiguration.LoadAsync(configFile, cancellationToken)).Root;
        }
        catch (ConfigurationUnavailableException ex)
        {
            await error.WriteLineAsync(ex.Message);
            return ExitCodes.Unreadable;
        }

        var load = RemediationConfigurationLoader.Load(configuration);
        if (!load.IsValid)
        {
            foreach (var message in load.Errors)
            {
                await error.WriteLineAsync(message);
            }

            return ExitCodes.Finding;
        }

        try
        {
            Intake.EventFileReader.ListFiles(eventsPath);
        }
        catch (FileNotFoundException ex)
        {
            await error.WriteLineAsync(ex.Message);
            return ExitCodes.Unreadable;
        }

        using var report = new ReplayReport(output, format);
        await new ReplayRunner(configuration).RunAsync(eventsPath, report, cancellationToken);
        await output.FlushAsync(cancellationToken);
        return 0;
    }
}
