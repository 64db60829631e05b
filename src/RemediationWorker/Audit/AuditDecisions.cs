using System.Text.Json;

namespace RemediationWorker.Audit;

/// <summary>The wire names of <see cref="AuditDecision"/>: auditors and other tools filter on these.</summary>
internal static class AuditDecisions
{
    private static readonly AuditDecision[] All = Enum.GetValues<AuditDecision>();

    /// <summary>Each decision's wire name, encoded once for the line formatter, by the decision's value.</summary>
    private static readonly JsonEncodedText[] EncodedWireNames = [.. All.Select(d => JsonEncodedText.Encode(d.ToWireName()))];

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

    public static JsonEncodedText EncodedWireName(AuditDecision decision) => (uint)decision < (uint)EncodedWireNames.Length
        ? EncodedWireNames[(int)decision]
        : throw new ArgumentOutOfRangeException(nameof(decision), decision, null);

    public static bool TryParse(string wireName, out AuditDecision decision)
    {
        foreach (var candidate in All)
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

    /// <summary>Reads the decision whose wire name the reader is on (a string token).</summary>
    public static bool TryRead(ref Utf8JsonReader json, out AuditDecision decision)
    {
        foreach (var candidate in All)
        {
            if (json.ValueTextEquals(EncodedWireNames[(int)candidate].EncodedUtf8Bytes))
            {
                decision = candidate;
                return true;
            }
        }

        decision = default;
        return false;
    }
}
