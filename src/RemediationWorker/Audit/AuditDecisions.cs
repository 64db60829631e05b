namespace RemediationWorker.Audit;

/// <summary>The wire names of <see cref="AuditDecision"/>: auditors and other tools filter on these.</summary>
internal static class AuditDecisions
{
    public static string ToWireName(this AuditDecision decision) => decision switch
    {
        AuditDecision.Received => "received",
        AuditDecision.Rejected => "rejected",
        AuditDecision.NoMatch => "no-match",
        AuditDecision.Matched => "matched",
        AuditDecision.Skipped => "skipped",
        AuditDecision.Planned => "planned",
        AuditDecision.Starting => "starting",
        AuditDecision.Started => "started",
        AuditDecision.Succeeded => "succeeded",
        AuditDecision.Failed => "failed",
        AuditDecision.TimedOut => "timed-out",
        AuditDecision.Refused => "refused",
        AuditDecision.PartiallyFixed => "partially-fixed",
        AuditDecision.Escalated => "escalated",
        AuditDecision.Deferred => "deferred",
        AuditDecision.ConfigLoaded => "config-loaded",
        AuditDecision.ConfigRejected => "config-rejected",
        AuditDecision.WorkerStarted => "worker-started",
        AuditDecision.WorkerStopped => "worker-stopped",
        _ => throw new ArgumentOutOfRangeException(nameof(decision), decision, null),
    };

    public static bool TryParse(string wireName, out AuditDecision decision)
    {
        foreach (var candidate in Enum.GetValues<AuditDecision>())
        {
            if (string.Equals(candidate.ToWireName(), wireName, StringComparison.Ordinal))
            {
                decision = candidate;
                return true;
            }
        }

        decision = default;
        return false;
    }
}
