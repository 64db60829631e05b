namespace RemediationWorker.Execution;

/// <summary>Which SSM Automation statuses end a run (aws-facts 2.2). The four documented terminal ones, plus the
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

    /// <summary>True and the outcome when <paramref name="status"/> is terminal.</summary>
    public static bool TryGetTerminal(string? status, out RunbookStatus outcome)
        => Terminal.TryGetValue(status ?? string.Empty, out outcome);

    /// <summary>A status this build does not know (logged, treated as running).</summary>
    public static bool IsUnknown(string? status) => !Terminal.ContainsKey(status ?? string.Empty) && !Running.Contains(status ?? string.Empty);
}
