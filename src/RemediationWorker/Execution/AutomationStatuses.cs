namespace RemediationWorker.Execution;

/// <summary>Which SSM Automation statuses end a run (the AutomationExecutionStatus values of the SSM API reference, AutomationExecution). The four documented terminal ones, plus the
/// Change Manager ones that cannot move on; every other value, known or new, is still running.</summary>
internal static class AutomationStatuses
{
    private static readonly Dictionary<string, RunbookStatus> Terminal = new(StringComparer.Ordinal)
    {
        ["Success"] = RunbookStatus.Succeeded,
        ["CompletedWithSuccess"] = RunbookStatus.Succeeded,
        ["Failed"] = RunbookStatus.Failed,
        ["Cancelled"] = RunbookStatus.Failed,
        ["Rejected"] = RunbookStatus.Failed,
        ["ChangeCalendarOverrideRejected"] = RunbookStatus.Failed,
        ["CompletedWithFailure"] = RunbookStatus.Failed,
        ["Exited"] = RunbookStatus.Failed,
        ["TimedOut"] = RunbookStatus.TimedOut,
    };

    private static readonly HashSet<string> Running = new(StringComparer.Ordinal)
    {
        "Pending", "InProgress", "Waiting", "Cancelling", "PendingApproval", "Approved", "Scheduled", "RunbookInProgress",
        "PendingChangeCalendarOverride", "ChangeCalendarOverrideApproved",
    };

    /// <summary>The markers a runbook that does not fix puts in its failure message (SSM may put its own text in
    /// front): it refused, or it fixed part. Any other failure is a failure of the automation.</summary>
    public const string RefusedMarker = "Refused:";

    public const string PartiallyFixedMarker = "PartiallyFixed:";

    /// <summary>The output names whose values are ids the run caused (<c>&lt;Step&gt;.CausedIds</c>).</summary>
    public const string CausedIdsSuffix = ".CausedIds";

    /// <summary>A failure whose message carries a marker is a refusal or a partial fix, not a failure.</summary>
    public static RunbookStatus Classify(RunbookStatus status, string? failureMessage)
        => status != RunbookStatus.Failed || failureMessage is null ? status
            : failureMessage.Contains(RefusedMarker, StringComparison.Ordinal) ? RunbookStatus.Refused
            : failureMessage.Contains(PartiallyFixedMarker, StringComparison.Ordinal) ? RunbookStatus.PartiallyFixed
            : status;

    /// <summary>Every value of the outputs named <c>…CausedIds</c>, once each.</summary>
    public static IReadOnlyList<string> CausedIds(IReadOnlyDictionary<string, List<string>>? outputs)
        => outputs is null
            ? []
            : [.. outputs.Where(o => o.Key.EndsWith(CausedIdsSuffix, StringComparison.Ordinal))
                .SelectMany(o => o.Value ?? [])
                .Where(v => !string.IsNullOrWhiteSpace(v))
                .Distinct(StringComparer.Ordinal)];

    /// <summary>True and the outcome when <paramref name="status"/> is terminal.</summary>
    public static bool TryGetTerminal(string? status, out RunbookStatus outcome)
        => Terminal.TryGetValue(status ?? string.Empty, out outcome);

    /// <summary>A status this build does not know (logged, treated as running).</summary>
    public static bool IsUnknown(string? status) => !Terminal.ContainsKey(status ?? string.Empty) && !Running.Contains(status ?? string.Empty);
}
