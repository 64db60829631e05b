using RemediationWorker.Intake;

namespace RemediationWorker.Remediation;

/// <summary>An input after the cheap checks: its envelope, or why it is rejected.</summary>
internal sealed record InspectedInput(IncomingEvent Incoming, EventEnvelope? Envelope, string? Error);
