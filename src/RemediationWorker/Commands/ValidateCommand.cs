using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RemediationWorker.Playbooks;

namespace RemediationWorker.Commands;

/// <summary><c>validate [--config FILE]</c>: exit 0 with a one-line description of the version, or 1 with
/// one error per line naming the playbook and field. The other sections (Intake, Execution, Ledger, Audit, Aws,
/// Health) get the checks <c>run</c> makes at start, so a configuration that passes here is not refused there.</summary>
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
        IConfigurationRoot configuration;
        try
        {
            configuration = CommandConfiguration.Build(configFile);
        }
        catch (Exception ex) when (ex is FileNotFoundException or InvalidDataException)
        {
            error.WriteLine(ConfigurationFileErrors.Describe(ex));
            return 1;
        }

        var result = RemediationConfigurationLoader.Load(configuration);
        var sections = WorkerSectionsChecker.Check(configuration);
        var errors = result.Errors.Concat(sections).Concat(WorkerSectionsChecker.Spelling(configuration))
            .Concat(sections.Count == 0 ? StartChecks(configuration) : []).ToList();
        if (result.Version is { } version && errors.Count == 0)
        {
            output.WriteLine($"valid: configuration {version.Hash}, {version.Playbooks.Count} of {version.ConfiguredPlaybooks} playbooks enabled ({string.Join(", ", version.Playbooks.Select(p => p.Id))}), execution mode {version.GlobalMode}");
            return 0;
        }

        foreach (var message in errors)
        {
            error.WriteLine(message);
        }

        error.WriteLine($"{errors.Count} error(s)");
        return 1;
    }

    /// <summary>What the host's start-up validation (ValidateOnStart) would refuse, from the same composition as
    /// <c>run</c>, without starting anything. The Remediation section's failures are the loader's, listed above.</summary>
    private static List<string> StartChecks(IConfiguration configuration)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddRemediationWorker(configuration);
        using var provider = services.BuildServiceProvider();
        try
        {
            provider.GetRequiredService<IStartupValidator>().Validate();
            return [];
        }
        catch (OptionsValidationException ex)
        {
            return Failures([ex]);
        }
        catch (AggregateException ex)
        {
            return Failures(ex.InnerExceptions.OfType<OptionsValidationException>());
        }
        catch (InvalidOperationException ex)
        {
            return [ex.Message]; // a value the binder cannot convert: one line, never a stack trace
        }
    }

    private static List<string> Failures(IEnumerable<OptionsValidationException> exceptions)
        => [.. exceptions.Where(e => e.OptionsType != typeof(RemediationOptions)).SelectMany(e => e.Failures)];
}
