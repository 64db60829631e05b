using Microsoft.Extensions.Configuration;
using RemediationWorker.Audit;
using RemediationWorker.Configuration;
using RemediationWorker.Diagnostics;
using RemediationWorker.Execution;
using RemediationWorker.Intake;
using RemediationWorker.Ledger;

namespace RemediationWorker.Playbooks;

/// <summary>The shape of every section besides <c>Remediation</c> that the worker binds (<c>Logging</c> and other
/// keys are the host's, not checked): unknown keys with the nearest known one, enum values, values that do not
/// convert. What passes here binds without an exception, so the start-up checks can run after it.</summary>
internal static class WorkerSectionsChecker
{
    /// <summary>The sections and the options type each binds to.</summary>
    public static IReadOnlyList<(string Section, Type Options)> Sections { get; } =
    [
        (IntakeOptions.SectionName, typeof(IntakeOptions)),
        (ExecutionSection.SectionName, typeof(ExecutionSection)),
        (LedgerOptions.SectionName, typeof(LedgerOptions)),
        (AuditOptions.SectionName, typeof(AuditOptions)),
        (Aws.AwsOptions.SectionName, typeof(Aws.AwsOptions)),
        (HealthOptions.SectionName, typeof(HealthOptions)),
        (ConfigurationOptions.SectionName, typeof(ConfigurationOptions)),
    ];

    public static List<string> Check(IConfiguration configuration)
    {
        var errors = new List<string>();
        foreach (var (name, type) in Sections)
        {
            var section = configuration.GetSection(name);
            if (section.Exists())
            {
                ConfigurationShapeChecker.Check(section, type, name, errors, NameStyle.Pascal);
            }
        }

        // Execution:Mode decides every playbook's mode: the Remediation loader reports it, once.
        errors.RemoveAll(e => e.StartsWith("Execution.Mode: \"", StringComparison.Ordinal));
        return errors;
    }

    /// <summary>The keys of the configuration files (not the environment) spelt as appsettings.schema.json spells
    /// them, in every bound section: <c>KillSwitch</c> binds, but the schema knows only <c>killSwitch</c>.</summary>
    public static List<string> Spelling(IConfigurationRoot configuration)
    {
        var files = new ConfigurationRoot([.. configuration.Providers.Where(p => p is FileConfigurationProvider or DocumentConfigurationProvider)]);
        var all = new List<string>();
        ConfigurationShapeChecker.Check(files.GetSection(RemediationOptions.SectionName), typeof(RemediationOptions), RemediationOptions.SectionName, all, NameStyle.Camel, caseSensitive: true);
        foreach (var (name, type) in Sections)
        {
            ConfigurationShapeChecker.Check(files.GetSection(name), type, name, all, NameStyle.Pascal, caseSensitive: true);
        }

        return [.. all.Where(e => e.Contains(": is spelt ", StringComparison.Ordinal))];
    }
}
