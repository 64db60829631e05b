using System.Globalization;
using System.Text;

namespace RemediationWorker.Audit;

/// <summary><c>audit query</c>'s table: aligned columns that fit <see cref="MaxWidth"/> characters, then the count.
/// The resource is shown by its short name (<see cref="ResourceNames.Short"/>); when the columns are too wide the
/// widest is cut first, with <c>…</c> (<c>--format json</c> or <c>csv</c> has every value whole).</summary>
internal sealed class AuditQueryTable
{
    public const int MaxWidth = 120;
    private const int Gap = 2;
    private const int MinCut = 6;

    private static readonly string[] Headers = ["TIME", "DECISION", "PLAYBOOK", "RESOURCE", "EVENT ID", "REASON / STATUS", "EXECUTION ID"];

    private static readonly int[] Weights = [1, 1, 2, 2, 1, 4, 1];

    private readonly List<string[]> _rows = [];

    public void Add(StoredAuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var outcome = (record.Status, record.Reason) switch
        {
            (null, null) => null,
            ({ } status, null) => status,
            (null, { } reason) => reason,
            ({ } status, { } reason) => $"{status}: {reason}",
        };
        _rows.Add(
        [
            record.Time.UtcDateTime.ToString(AuditChain.TimeFormat, CultureInfo.InvariantCulture),
            record.Decision.ToWireName(),
            Clean(record.Playbook),
            Clean(record.Resource is { } resource ? ResourceNames.Short(resource) : null),
            Clean(record.EventId),
            Clean(outcome),
            Clean(record.ExecutionId),
        ]);
    }

    public async Task WriteAsync(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var widths = Fit(Headers.Select((h, i) => _rows.Select(r => r[i].Length).DefaultIfEmpty(0).Max() is var w && w > h.Length ? w : h.Length).ToArray());
        var line = new StringBuilder(MaxWidth);
        foreach (var row in _rows.Prepend(Headers))
        {
            line.Clear();
            for (var i = 0; i < row.Length; i++)
            {
                var cell = Cut(row[i], widths[i]);
                line.Append(cell);
                if (i < row.Length - 1)
                {
                    line.Append(' ', widths[i] - cell.Length + Gap);
                }
            }

            await output.WriteLineAsync(line.ToString().TrimEnd());
        }

        await output.WriteLineAsync($"{_rows.Count} records");
    }

    /// <summary>Narrows the widest cuttable column (all but time and decision) by one until the row fits; the playbook
    /// and resource count half their width and the reason a quarter, so they keep more.</summary>
    private static int[] Fit(int[] widths)
    {
        while (widths.Sum() + (Gap * (widths.Length - 1)) > MaxWidth)
        {
            var widest = Enumerable.Range(2, widths.Length - 2).MaxBy(i => widths[i] / (double)Weights[i]);
            if (widths[widest] <= MinCut)
            {
                break;
            }

            widths[widest]--;
        }

        return widths;
    }

    private static string Cut(string text, int width) => text.Length <= width ? text : string.Concat(text.AsSpan(0, width - 1), "…");

    /// <summary>One line per record: control characters (a newline in an attacker's field) shown as spaces.</summary>
    private static string Clean(string? text)
        => text is null ? "-" : string.Create(text.Length, text, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? ' ' : source[i];
            }
        });
}
