using RemediationWorker.Audit;

namespace RemediationWorker.Remediation;

/// <summary>The final decision about one event for one playbook (or for no playbook: rejected, no-match).</summary>
internal sealed record EventVerdict(AuditDecision Decision, string? Playbook = null, string? Resource = null, string? Guard = null, string? Reason = null)
{
    /// <summary>For <see cref="AuditDecision.Deferred"/>: when the event is worth trying again.</summary>
    public DateTimeOffset? RetryAt { get; init; }
}
