using System.Globalization;
using System.Text;

namespace RemediationWorker.Audit;

/// <summary><c>audit query --format csv</c>: one header row, then one row per record (RFC 4180: every field quoted
/// when it holds a comma, a quote or a line break, quotes doubled). A value that a spreadsheet would run as a formula
/// (starting with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or carriage return) gets a leading <c>'</c>: event
/// fields may be written by anyone who can put an event on the bus (OWASP, "CSV Injection").</summary>
internal static class AuditQueryCsv
{
    private static readonly string[] Columns =
        ["seq", "time", "decision", "playbook", "resource", "eventId", "input", "reason", "guard", "status", "durationMs", "executionId", "causedBy", "workerId"];

    public static Task WriteHeaderAsync(TextWriter output) => output.WriteLineAsync(string.Join(',', Columns));

    public static Task WriteRowAsync(StoredAuditRecord record, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(output);
        string?[] values =
        [
            record.Seq.ToString(CultureInfo.InvariantCulture),
            record.Time.UtcDateTime.ToString(AuditChain.TimeFormat, CultureInfo.InvariantCulture),
            record.Decision.ToWireName(),
            record.Playbook,
            record.Resource,
            record.EventId,
            record.Input,
            record.Reason,
            record.Guard,
            record.Status,
            record.DurationMs?.ToString(CultureInfo.InvariantCulture),
            record.ExecutionId,
            record.CausedBy,
            record.WorkerId,
        ];
        return output.WriteLineAsync(string.Join(',', values.Select(Field)));
    }

    private static string Field(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : new StringBuilder(value.Length + 2).Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"').ToString();
    }
}
