using System.Text.Json;

namespace RemediationWorker.Audit;

/// <summary>The members of an audit line in their order on the line (docs/audit-log.md, "One line", whose table a
/// test holds to this one): what <see cref="AuditLineFormatter"/> writes and <see cref="StoredAuditRecord"/> reads
/// back. A new member is an entry here, its property on <see cref="AuditRecord"/> and its row in the documentation.
/// The chain members come first (<c>seq</c>) and last (<c>prevHash</c>, then <c>hash</c>, which the hash rule needs
/// last).</summary>
internal static class AuditFields
{
    public static readonly AuditField[] InOrder =
    [
        AuditField.Seq("seq", nameof(StoredAuditRecord.Seq)),
        AuditField.Time("time", nameof(AuditRecord.Time)),
        AuditField.OwnText("workerId", nameof(AuditRecord.WorkerId)),
        AuditField.Decision("decision", nameof(AuditRecord.Decision)),
        AuditField.Text("eventId", nameof(AuditRecord.EventId)),
        AuditField.Text("source", nameof(AuditRecord.Source)),
        AuditField.Text("detailType", nameof(AuditRecord.DetailType)),
        AuditField.Text("account", nameof(AuditRecord.Account)),
        AuditField.Text("region", nameof(AuditRecord.Region)),
        AuditField.Text("input", nameof(AuditRecord.Input)),
        AuditField.Text("resource", nameof(AuditRecord.Resource)),
        AuditField.Text("playbook", nameof(AuditRecord.Playbook)),
        AuditField.OwnText("configHash", nameof(AuditRecord.ConfigHash)),
        AuditField.Text("reason", nameof(AuditRecord.Reason)),
        AuditField.Text("guard", nameof(AuditRecord.Guard)),
        AuditField.Text("mode", nameof(AuditRecord.Mode)),
        AuditField.Text("documentName", nameof(AuditRecord.DocumentName)),
        AuditField.Text("documentVersion", nameof(AuditRecord.DocumentVersion)),
        AuditField.Parameters("parameters", nameof(AuditRecord.Parameters)),
        AuditField.Text("executionId", nameof(AuditRecord.ExecutionId)),
        AuditField.Text("status", nameof(AuditRecord.Status)),
        AuditField.Milliseconds("durationMs", nameof(AuditRecord.Duration)),
        AuditField.OwnText("clientToken", nameof(AuditRecord.ClientToken)),
        AuditField.OwnText("causedBy", nameof(AuditRecord.CausedBy)),
        AuditField.OptionalTime("retryAt", nameof(AuditRecord.RetryAt)),
        AuditField.Truncated("truncated", nameof(AuditRecord.Truncated)),
        AuditField.PrevHash("prevHash", nameof(StoredAuditRecord.PrevHash)),
        AuditField.Hash("hash", nameof(StoredAuditRecord.Hash)),
    ];

    /// <summary>The text members <see cref="AuditRecordBounds"/> cuts, in order.</summary>
    public static readonly AuditField.TextField[] CutText = [.. InOrder.OfType<AuditField.TextField>().Where(f => f.IsCut)];

    /// <summary>The index of the member whose name the reader is on, or -1 for a member this version does not know. The
    /// search starts after <paramref name="previous"/>: a written line has its members in table order, so the next is
    /// usually the first one tried.</summary>
    public static int Find(ref Utf8JsonReader json, int previous)
    {
        for (var tried = 1; tried <= InOrder.Length; tried++)
        {
            var index = (previous + tried) % InOrder.Length;
            if (InOrder[index].IsNamedBy(ref json))
            {
                return index;
            }
        }

        return -1;
    }
}
