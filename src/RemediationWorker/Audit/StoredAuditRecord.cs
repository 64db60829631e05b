namespace RemediationWorker.Audit;

/// <summary>One line of an audit file as read back by <c>audit verify</c> and <c>audit query</c>. Mirrors
/// <see cref="AuditRecord"/> in its wire form, with the chain fields the sink adds.</summary>
internal sealed class StoredAuditRecord
{
    public required long Seq { get; init; }
    public required DateTimeOffset Time { get; init; }
    public required string WorkerId { get; init; }

    /// <summary>The wire name (<see cref="AuditDecisions"/>).</summary>
    public required string Decision { get; init; }

    public string? EventId { get; init; }
    public string? Source { get; init; }
    public string? DetailType { get; init; }
    public string? Account { get; init; }
    public string? Region { get; init; }
    public string? Input { get; init; }
    public string? Resource { get; init; }
    public string? Playbook { get; init; }
    public required string ConfigHash { get; init; }
    public string? Reason { get; init; }
    public string? Guard { get; init; }
    public string? Mode { get; init; }
    public string? DocumentName { get; init; }
    public string? DocumentVersion { get; init; }
    public IReadOnlyDictionary<string, string>? Parameters { get; init; }
    public string? ExecutionId { get; init; }
    public string? Status { get; init; }
    public long? DurationMs { get; init; }
    public string? ClientToken { get; init; }
    public string? CausedBy { get; init; }
    public DateTimeOffset? RetryAt { get; init; }
    public required string PrevHash { get; init; }
    public required string Hash { get; init; }
}
