namespace RemediationWorker.Escalation;

/// <summary>What a person needs to take over: the event, the resource and playbook, why automation stopped, and the
/// attempts so far with their execution ids.</summary>
internal sealed record EscalationRequest(
    string EventId,
    string Source,
    string DetailType,
    string PlaybookId,
    string Resource,
    string Reason,
    int Attempts,
    IReadOnlyList<string> ExecutionIds,
    string Severity,
    string Category,
    string EventSummaryJson);
