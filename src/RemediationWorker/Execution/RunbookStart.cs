namespace RemediationWorker.Execution;

/// <summary>What starting a runbook gave: an execution id, or (dry-run) a plan only.</summary>
internal sealed record RunbookStart(string? ExecutionId, bool Planned)
{
    public static RunbookStart PlannedOnly { get; } = new(null, true);

    public static RunbookStart Started(string executionId) => new(executionId, false);
}
