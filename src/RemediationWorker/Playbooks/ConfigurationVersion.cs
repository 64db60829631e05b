using EventPatterns;

namespace RemediationWorker.Playbooks;

/// <summary>One validated configuration: its hash, its enabled playbooks in order, and one
/// <see cref="PatternMatcher"/> compiled from their patterns (match index = position in <see cref="Playbooks"/>).
/// Immutable; a reload builds a new one.</summary>
internal sealed class ConfigurationVersion
{
    private PatternExplainer? _explainer;

    public required string Hash { get; init; }

    public required RemediationOptions Options { get; init; }

    /// <summary><c>Execution:Mode</c>: a run is live only when this and the playbook's mode are both Live.</summary>
    public required RunMode GlobalMode { get; init; }

    /// <summary>The enabled playbooks, in configuration order.</summary>
    public required IReadOnlyList<CompiledPlaybook> Playbooks { get; init; }

    public required PatternMatcher Matcher { get; init; }

    public required MatcherOptions MatcherOptions { get; init; }

    /// <summary><c>Intake:Limits</c>, which every event is checked against before it is matched.</summary>
    public Intake.EventLimits Limits { get; init; } = new();

    /// <summary>Number of playbooks configured, enabled or not.</summary>
    public required int ConfiguredPlaybooks { get; init; }

    /// <summary>Why an event matched none of <see cref="Playbooks"/> (the <c>no-match</c> record's reason); compiled
    /// on first use.</summary>
    public PatternExplainer Explainer => LazyInitializer.EnsureInitialized(ref _explainer, () => PatternExplainer.Create(Playbooks.Select(p => p.Pattern.Json)));

    public RunMode EffectiveMode(CompiledPlaybook playbook)
        => GlobalMode == RunMode.Live && playbook.Options.Mode == RunMode.Live ? RunMode.Live : RunMode.DryRun;
}
