using EventPatterns;

namespace RemediationWorker.Playbooks;

/// <summary>One validated configuration: its hash, its enabled playbooks in order, and one
/// <see cref="PatternMatcher"/> compiled from their patterns (match index = position in <see cref="Playbooks"/>) and
/// their conditions alone.
/// Immutable; a reload builds a new one.</summary>
internal sealed class ConfigurationVersion
{
    private string[]? _playbookIds;

    public required string Hash { get; init; }

    public required RemediationOptions Options { get; init; }

    /// <summary><c>Execution:Mode</c>: a run is live only when this and the playbook's mode are both Live.</summary>
    public required RunMode GlobalMode { get; init; }

    /// <summary>The enabled playbooks, in configuration order.</summary>
    public required IReadOnlyList<CompiledPlaybook> Playbooks { get; init; }

    /// <summary>Matches the playbooks (an index below <see cref="Playbooks"/>' count is the playbook at that
    /// position) and, above, their conditions alone (<see cref="Explainer"/>).</summary>
    public PatternMatcher Matcher => Explainer.Matcher;

    public required MatcherOptions MatcherOptions { get; init; }

    /// <summary><c>Intake:Limits</c>, which every event is checked against before it is matched.</summary>
    public Intake.EventLimits Limits { get; init; } = new();

    /// <summary>Number of playbooks configured, enabled or not.</summary>
    public required int ConfiguredPlaybooks { get; init; }

    /// <summary>The playbooks' patterns with each of their conditions alone: why an event matched none of them (the
    /// <c>no-match</c> record's reason).</summary>
    public required PatternExplainer Explainer { get; init; }

    /// <summary>The ids of <see cref="Playbooks"/>, in order.</summary>
    public IReadOnlyList<string> PlaybookIds => LazyInitializer.EnsureInitialized(ref _playbookIds, () => [.. Playbooks.Select(p => p.Id)]);

    public RunMode EffectiveMode(CompiledPlaybook playbook)
        => GlobalMode == RunMode.Live && playbook.Options.Mode == RunMode.Live ? RunMode.Live : RunMode.DryRun;
}
