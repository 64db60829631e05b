using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RemediationWorker.Configuration;
using RemediationWorker.Intake;
using RemediationWorker.Playbooks;

namespace RemediationWorker.Commands;

/// <summary><c>validate [--config FILE|s3://BUCKET/KEY]</c>: exit 0 with a one-line description of the version, or 1
/// with one error per line naming the playbook and field (JSON syntax included: anything wrong inside the file is a
/// finding); 2 when there is no configuration to read (not found, AccessDenied). The other sections (Intake, Execution, Ledger, Audit, Aws,
/// Health) get the checks <c>run</c> makes at start, so a configuration that passes here is not refused there.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var config = CommandConfiguration.CreateOption();
        var command = new Command("validate", "Checks a configuration: exit 0, or the list of errors (1); 2 when it cannot be read") { config };
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult.GetValue(config), parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(string? config, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        IConfigurationRoot configuration;
        try
        {
            configuration = (await CommandConfiguration.LoadAsync(config, cancellationToken)).Root;
        }
        catch (ConfigurationUnavailableException ex)
        {
            await error.WriteLineAsync(ex.Message);
            return ex.IsNotJson ? ExitCodes.Finding : ExitCodes.Unreadable;
        }

        var result = RemediationConfigurationLoader.Load(configuration);
        var sections = WorkerSectionsChecker.Check(configuration);
        var errors = result.Errors.Concat(sections).Concat(WorkerSectionsChecker.Spelling(configuration))
            .Concat(sections.Count == 0 ? StartChecks(configuration, output) : []).ToList();
        if (result.Version is { } version && errors.Count == 0)
        {
            await output.WriteLineAsync($"valid: configuration {version.Hash}, {version.Playbooks.Count} of {version.ConfiguredPlaybooks} playbooks enabled ({string.Join(", ", version.Playbooks.Select(p => p.Id))}), execution mode {version.GlobalMode}");
            return ExitCodes.Done;
        }

        foreach (var message in errors)
        {
            await error.WriteLineAsync(message);
        }

        await error.WriteLineAsync($"{errors.Count} error(s)");
        return ExitCodes.Finding;
    }

    /// <summary>What the host's start-up validation (ValidateOnStart) would refuse, from the same composition as
    /// <c>run</c>, without starting anything. The Remediation section's failures are the loader's, listed above.</summary>
    private static List<string> StartChecks(IConfiguration configuration, TextWriter output)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddRemediationWorker(configuration);
        using var provider = services.BuildServiceProvider();
        try
        {
            provider.GetRequiredService<IStartupValidator>().Validate();
            return QueueChecks(provider, output);
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

    /// <summary>With <c>Intake:Source=Sqs</c>, the queue's attributes against the longest lease and the retry plan,
    /// as <c>run</c> checks them at start (<see cref="SqsQueueCheck"/>): a mismatch is an error; a queue that cannot be
    /// read (no credentials where validate runs) is noted on the output and not an error. A command line waits for
    /// it: blocking here holds no thread anything else needs.</summary>
    private static List<string> QueueChecks(IServiceProvider provider, TextWriter output)
    {
        var intake = provider.GetRequiredService<IOptions<IntakeOptions>>().Value;
        if (intake.Source != IntakeSource.Sqs)
        {
            return [];
        }

        var longestLease = SqsQueueCheck.LongestLease(provider.GetRequiredService<PlaybookCatalog>().Current, provider.GetRequiredService<IOptions<Ledger.LedgerOptions>>().Value);
        var sqs = provider.GetRequiredService<Lazy<Amazon.SQS.IAmazonSQS>>().Value;
        return SqsIntakeService.CheckQueueAsync(sqs, intake.QueueUrl, longestLease, intake.Sqs, note => output.WriteLine($"note: {note}"), CancellationToken.None).GetAwaiter().GetResult() ?? [];
    }

    private static List<string> Failures(IEnumerable<OptionsValidationException> exceptions)
        => [.. exceptions.Where(e => e.OptionsType != typeof(RemediationOptions)).SelectMany(e => e.Failures)];
}
