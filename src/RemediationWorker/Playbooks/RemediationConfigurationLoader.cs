using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using RemediationWorker.Intake;

namespace RemediationWorker.Playbooks;

/// <summary>Reads the <c>Remediation</c> section (and <c>Execution:Mode</c>) into a
/// <see cref="ConfigurationVersion"/>: shape check, bind, patterns, the stack's ceiling (<see cref="StackCeiling"/>),
/// validation, compilation, hash.
/// The one path used at start, on reload, by <c>validate</c> and by <c>replay</c>.</summary>
internal static class RemediationConfigurationLoader
{
    public const string ExecutionModeKey = "Execution:Mode";

    public static ConfigurationLoadResult Load(IConfiguration configuration)
    {
        var errors = new List<string>();
        var section = configuration.GetSection(RemediationOptions.SectionName);
        ConfigurationShapeChecker.Check(section, typeof(RemediationOptions), string.Empty, errors);

        var globalMode = RunMode.DryRun;
        var modeText = configuration[ExecutionModeKey];
        if (!string.IsNullOrEmpty(modeText) && !Enum.TryParse(modeText, ignoreCase: true, out globalMode))
        {
            errors.Add($"Execution.mode: \"{modeText}\" is not one of {string.Join(", ", Enum.GetNames<RunMode>())}");
        }

        // Every error at once: the shape errors above do not stop the checks below, unless a value cannot be bound.
        var options = new RemediationOptions();
        try
        {
            section.Bind(options);
        }
        catch (InvalidOperationException) when (errors.Count > 0)
        {
            return new ConfigurationLoadResult(null, errors); // a value the shape check has named already
        }

        var playbookSections = section.GetSection(nameof(RemediationOptions.Playbooks)).GetChildren().ToList();
        if (options.Playbooks.Count != playbookSections.Count)
        {
            // The binder drops a list item it cannot bind without a word; never run with a playbook missing. (With shape
            // errors, one of them is why.)
            if (errors.Count == 0)
            {
                errors.Add($"playbooks: {playbookSections.Count} configured but {options.Playbooks.Count} could be read");
            }

            return new ConfigurationLoadResult(null, errors);
        }

        for (var i = 0; i < options.Playbooks.Count && i < playbookSections.Count; i++)
        {
            options.Playbooks[i].Pattern = Normalize(PatternSectionReader.Read(playbookSections[i].GetSection(nameof(PlaybookOptions.Pattern))));
        }

        globalMode = StackCeiling.Read(configuration, errors).Apply(options, globalMode, errors);
        var playbooks = PlaybookValidator.Validate(options, errors);
        if (errors.Count > 0)
        {
            return new ConfigurationLoadResult(null, errors);
        }

        EventLimits limits;
        try
        {
            limits = configuration.GetSection(EventLimits.SectionPath).Get<EventLimits>() ?? new EventLimits();
        }
        catch (InvalidOperationException ex)
        {
            return new ConfigurationLoadResult(null, [$"Intake.Limits: {ex.Message}"]);
        }

        var matcherOptions = limits.ToMatcherOptions();
        var version = new ConfigurationVersion
        {
            Hash = ConfigurationHash.Compute(options, globalMode),
            Options = options,
            GlobalMode = globalMode,
            Playbooks = playbooks,
            Explainer = PatternExplainer.Create([.. playbooks.Select(p => p.Pattern)], matcherOptions),
            MatcherOptions = matcherOptions,
            Limits = limits,
            ConfiguredPlaybooks = options.Playbooks.Count,
        };
        return new ConfigurationLoadResult(version, []);
    }

    /// <summary>Minifies pattern JSON so the hash does not change with whitespace; text that is not JSON is
    /// kept for the validator to report.</summary>
    private static string? Normalize(string? pattern)
    {
        if (pattern is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(pattern);
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                document.WriteTo(writer);
            }

            return Encoding.UTF8.GetString(buffer.ToArray());
        }
        catch (JsonException)
        {
            return pattern;
        }
    }
}
