namespace RemediationWorker.Execution;

/// <summary>Exactly what would be (or is) started: the document, its version, the role and the rendered,
/// checked parameters. The SSM runner derives its ClientToken from (<see cref="EventId"/>, <see cref="PlaybookId"/>).</summary>
internal sealed record RunbookPlan(
    string EventId,
    string PlaybookId,
    string Resource,
    string DocumentName,
    string DocumentVersion,
    string AutomationAssumeRole,
    IReadOnlyDictionary<string, string> Parameters);
