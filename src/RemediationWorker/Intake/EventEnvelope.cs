namespace RemediationWorker.Intake;

/// <summary>The EventBridge envelope fields of one event (the <c>detail</c> stays in the raw bytes).</summary>
internal sealed record EventEnvelope(
    string Id,
    string Source,
    string DetailType,
    string Account,
    string Region,
    DateTimeOffset Time,
    IReadOnlyList<string> Resources);
