using System.Security.Cryptography;
using System.Text;
using RemediationWorker.Diagnostics;

namespace RemediationWorker.Audit;

/// <summary>Keeps every audit line within <see cref="TextBounds.MaxLineBytes"/>: strings are cut by
/// <see cref="TextBounds"/> (they stay strings), and the record gains <c>truncated</c> with each cut member's whole
/// length and SHA-256, so the record can still be matched to the event (docs/audit-log.md).</summary>
internal static class AuditRecordBounds
{
    private static readonly string[] Names =
        ["eventId", "source", "detailType", "account", "region", "input", "resource", "playbook", "reason", "guard", "mode", "documentName", "documentVersion", "executionId", "status"];

    /// <summary>The record itself when nothing needs cutting (the usual case: no allocation).</summary>
    public static AuditRecord Apply(AuditRecord record)
    {
        var total = Length(record.EventId) + Length(record.Source) + Length(record.DetailType) + Length(record.Account) + Length(record.Region)
            + Length(record.Input) + Length(record.Resource) + Length(record.Playbook) + Length(record.Reason) + Length(record.Guard) + Length(record.Mode)
            + Length(record.DocumentName) + Length(record.DocumentVersion) + Length(record.ExecutionId) + Length(record.Status);
        if (record.Parameters is Dictionary<string, string> dictionary)
        {
            foreach (var (name, value) in dictionary) // the struct enumerator: no allocation per record
            {
                total += name.Length + value.Length;
            }
        }
        else if (record.Parameters is { } parameters)
        {
            foreach (var (name, value) in parameters)
            {
                total += name.Length + value.Length;
            }
        }

        return TextBounds.SurelyFits(total) || Fits(record)
            ? record
            : Cut(record, [record.EventId, record.Source, record.DetailType, record.Account, record.Region, record.Input, record.Resource, record.Playbook, record.Reason, record.Guard, record.Mode, record.DocumentName, record.DocumentVersion, record.ExecutionId, record.Status]);
    }

    private static int Length(string? text) => text?.Length ?? 0;

    /// <summary>Whether no string is over <see cref="TextBounds.MaxChars"/> and all fit the line's budget, looked at
    /// character by character (a plan's parameters often pass the quick count), without allocating.</summary>
    private static bool Fits(AuditRecord record)
    {
        var size = 0;
        var fits = Add(record.EventId, ref size) && Add(record.Source, ref size) && Add(record.DetailType, ref size) && Add(record.Account, ref size)
            && Add(record.Region, ref size) && Add(record.Input, ref size) && Add(record.Resource, ref size) && Add(record.Playbook, ref size)
            && Add(record.Reason, ref size) && Add(record.Guard, ref size) && Add(record.Mode, ref size) && Add(record.DocumentName, ref size)
            && Add(record.DocumentVersion, ref size) && Add(record.ExecutionId, ref size) && Add(record.Status, ref size);
        if (fits && record.Parameters is Dictionary<string, string> dictionary)
        {
            foreach (var (name, value) in dictionary)
            {
                fits = fits && Add(name, ref size) && Add(value, ref size);
            }
        }
        else if (fits && record.Parameters is { } parameters)
        {
            foreach (var (name, value) in parameters)
            {
                fits = fits && Add(name, ref size) && Add(value, ref size);
            }
        }

        return fits && size <= TextBounds.LineBudgetBytes;

        static bool Add(string? text, ref int size)
        {
            size += TextBounds.WrittenSize(text);
            return text is null || text.Length <= TextBounds.MaxChars;
        }
    }

    private static AuditRecord Cut(AuditRecord record, string?[] values)
    {
        var parameters = record.Parameters?.ToList() ?? [];
        var sizes = new int[values.Length + parameters.Count];
        for (var i = 0; i < values.Length; i++)
        {
            sizes[i] = TextBounds.WrittenSize(values[i]);
        }

        for (var i = 0; i < parameters.Count; i++)
        {
            sizes[values.Length + i] = TextBounds.WrittenSize(parameters[i].Value) + TextBounds.WrittenSize(parameters[i].Key);
        }

        var share = TextBounds.ShareOf(sizes, TextBounds.LineBudgetBytes);
        var truncated = new Dictionary<string, TruncatedField>(StringComparer.Ordinal);
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = CutOne(Names[i], values[i], share, truncated);
        }

        Dictionary<string, string>? cutParameters = null;
        if (record.Parameters is not null)
        {
            cutParameters = new Dictionary<string, string>(parameters.Count, StringComparer.Ordinal);
            foreach (var (name, value) in parameters)
            {
                // Names come from the playbook (validate bounds them); a value shares what its name leaves.
                cutParameters[name] = CutOne($"parameters.{name}", value, Math.Max(share - TextBounds.WrittenSize(name), 16), truncated)!;
            }
        }

        if (truncated.Count == 0)
        {
            return record;
        }

        return record with
        {
            EventId = values[0],
            Source = values[1],
            DetailType = values[2],
            Account = values[3],
            Region = values[4],
            Input = values[5],
            Resource = values[6],
            Playbook = values[7],
            Reason = values[8],
            Guard = values[9],
            Mode = values[10],
            DocumentName = values[11],
            DocumentVersion = values[12],
            ExecutionId = values[13],
            Status = values[14],
            Parameters = cutParameters,
            Truncated = truncated,
        };
    }

    private static string? CutOne(string name, string? value, int share, Dictionary<string, TruncatedField> truncated)
    {
        if (value is null)
        {
            return null;
        }

        var cut = TextBounds.Cut(value, share);
        if (!ReferenceEquals(cut, value))
        {
            truncated[name] = new TruncatedField(value.Length, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value))));
        }

        return cut;
    }
}

/// <summary>What was cut from one member of an audit record: its whole length in characters and the SHA-256 (lowercase
/// hex) of its UTF-8 bytes.</summary>
internal sealed record TruncatedField(int Length, string Sha256);
