using System.Security.Cryptography;
using System.Text;
using RemediationWorker.Diagnostics;

namespace RemediationWorker.Audit;

/// <summary>Keeps every audit line within <see cref="TextBounds.MaxLineBytes"/>: strings are cut by
/// <see cref="TextBounds"/> (they stay strings), and the record gains <c>truncated</c> with each cut member's whole
/// length and SHA-256, so the record can still be matched to the event (docs/audit-log.md).</summary>
internal static class AuditRecordBounds
{
    /// <summary>The record itself when nothing needs cutting (the usual case: no allocation).</summary>
    public static AuditRecord Apply(AuditRecord record)
    {
        var total = 0;
        foreach (var field in AuditFields.CutText)
        {
            total += field.ValueOf(record)?.Length ?? 0;
        }

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

        return TextBounds.SurelyFits(total) || Fits(record) ? record : Cut(record);
    }

    /// <summary>Whether no string is over <see cref="TextBounds.MaxChars"/> and all fit the line's budget, looked at
    /// character by character (a plan's parameters often pass the quick count), without allocating.</summary>
    private static bool Fits(AuditRecord record)
    {
        var size = 0;
        var fits = true;
        foreach (var field in AuditFields.CutText)
        {
            fits = fits && Add(field.ValueOf(record), ref size);
        }

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

    private static AuditRecord Cut(AuditRecord record)
    {
        var fields = AuditFields.CutText;
        var values = Array.ConvertAll(fields, field => field.ValueOf(record));
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
            values[i] = CutOne(fields[i].Name, values[i], share, truncated);
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

        var cut = record with { Parameters = cutParameters, Truncated = truncated };
        for (var i = 0; i < fields.Length; i++)
        {
            fields[i].Initialize(cut, values[i]);
        }

        return cut;
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
