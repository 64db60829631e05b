using RemediationWorker.Intake;

namespace RemediationWorker.Remediation;

/// <summary>What processing one event decided, and what the intake should do with it.</summary>
internal sealed record EventResult(EventOutcome Outcome, EventEnvelope? Envelope, IReadOnlyList<EventVerdict> Verdicts)
{
    /// <summary>For a deferred event: when it is worth trying again (the source keeps it until then).</summary>
    public DateTimeOffset? RetryAt => Verdicts.FirstOrDefault(v => v.Decision == Audit.AuditDecision.Deferred)?.RetryAt;
}
