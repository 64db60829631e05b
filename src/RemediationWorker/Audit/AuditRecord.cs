namespace RemediationWorker.Audit;

/// <summary>One decision about one event (or about the configuration). The sink adds the chain fields
/// (<c>seq</c>, <c>prevHash</c>, <c>hash</c>) when it writes the record (<see cref="StoredAuditRecord"/> reads them back).
/// Each property is a member of the line by its entry in <see cref="AuditFields"/>.</summary>
internal record AuditRecord
{
    public required DateTimeOffset Time { get; init; }
    public required string WorkerId { get; init; }
    public required AuditDecision Decision { get; init; }

    /// <summary>Short content hash of the configuration version that made the decision.</summary>
    public required string ConfigHash { get; init; }

    public string? EventId { get; init; }
    public string? Source { get; init; }
    public string? DetailType { get; init; }
    public string? Account { get; init; }
    public string? Region { get; init; }

    /// <summary>The input the event came in (<c>day.jsonl:17</c>, an SQS message id): on <c>rejected</c> records, whose
    /// envelope may be unreadable.</summary>
    public string? Input { get; init; }
    public string? Resource { get; init; }
    public string? Playbook { get; init; }

    /// <summary>Why: the guard's or validator's explanation, in words an auditor can read.</summary>
    public string? Reason { get; init; }

    /// <summary>The guard that stopped the run (for <see cref="AuditDecision.Skipped"/> and
    /// <see cref="AuditDecision.Escalated"/>).</summary>
    public string? Guard { get; init; }

    public string? Mode { get; init; }
    public string? DocumentName { get; init; }
    public string? DocumentVersion { get; init; }
    public IReadOnlyDictionary<string, string>? Parameters { get; init; }
    public string? ExecutionId { get; init; }
    public string? Status { get; init; }
    public TimeSpan? Duration { get; init; }

    /// <summary><see cref="Duration"/> as the line has it (<c>durationMs</c>).</summary>
    public long? DurationMs => Duration is { } duration ? WholeMilliseconds(duration) : null;

    /// <summary>The <c>ClientToken</c> of the start (on <c>starting</c> and <c>started</c>).</summary>
    public string? ClientToken { get; init; }

    /// <summary>The execution of this worker that caused the event (its id was among the run's caused ids).</summary>
    public string? CausedBy { get; init; }

    /// <summary>When a <c>deferred</c> event is tried again at the earliest.</summary>
    public DateTimeOffset? RetryAt { get; init; }

    /// <summary>The members <see cref="AuditRecordBounds"/> cut, by wire name (<c>eventId</c>, <c>parameters.StackName</c>).</summary>
    public IReadOnlyDictionary<string, TruncatedField>? Truncated { get; init; }

    /// <summary>Whole milliseconds, the fraction cut.</summary>
    public static long WholeMilliseconds(TimeSpan duration) => (long)duration.TotalMilliseconds;
}
