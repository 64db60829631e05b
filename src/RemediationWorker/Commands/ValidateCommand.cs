using System.CommandLine;
using RemediationWorker.Playbooks;

namespace RemediationWorker.Commands;

/// <summary><c>validate [--config FILE]</c>: exit 0 with a one-line description of the version, or 1 with
/// one error per line naming the playbook and field.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "The configuration file (default: appsettings.json); environment variables apply on top" };
        var command = new Command("validate", "Checks a configuration: exit 0, or the list of errors") { config };
        command.SetAction(parseResult => Run(parseResult.GetValue(config), parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error));
        return command;
    }

    public static int Run(string? configFile, TextWriter output, TextWriter error)
    {
        ConfigurationLoadResult result;
        try
        {
            result = RemediationConfigurationLoader.Load(CommandConfiguration.Build(configFile));
        }
        catch (Exception ex) when (ex is FileNotFoundException or InvalidDataException)
        {
            error.WriteLine(ex.Message);
            return 1;
        }

        if (result.Version is { } version)
        {
            output.WriteLine($"valid: configuration {version.Hash}, {version.Playbooks.Count} of {version.ConfiguredPlaybooks} playbooks enabled ({string.Join(", ", version.Playbooks.Select(p => p.Id))}), execution mode {version.GlobalMode}");
            return 0;
        }

        foreach (var message in result.Errors)
        {
            error.WriteLine(message);
        }

        error.WriteLine($"{result.Errors.Count} error(s)");
        return 1;
    }
}
