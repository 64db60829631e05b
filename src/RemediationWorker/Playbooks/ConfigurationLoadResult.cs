namespace RemediationWorker.Playbooks;

/// <summary>A configuration version, or the errors that refused it.</summary>
internal sealed record ConfigurationLoadResult(ConfigurationVersion? Version, IReadOnlyList<string> Errors)
{
    public bool IsValid => Version is not null;
}
