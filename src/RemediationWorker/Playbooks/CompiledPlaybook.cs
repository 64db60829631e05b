using EventPatterns;

namespace RemediationWorker.Playbooks;

/// <summary>A validated playbook with its pattern, resource path and parameter templates compiled.</summary>
internal sealed class CompiledPlaybook
{
    public required PlaybookOptions Options { get; init; }

    public required EventPattern Pattern { get; init; }

    public required EventPath Resource { get; init; }

    public required IReadOnlyList<ParameterTemplate> Parameters { get; init; }

    public string Id => Options.Id;
}
