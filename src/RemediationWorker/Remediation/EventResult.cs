using RemediationWorker.Intake;

namespace RemediationWorker.Remediation;

/// <summary>What processing one event decided, and what the intake should do with it.</summary>
internal sealed record EventResult(EventOutcome Outcome, EventEnvelope? Envelope, IReadOnlyList<EventVerdict> Verdicts);
