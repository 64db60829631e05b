using System.Text.Encodings.Web;
using System.Text.Json;

namespace RemediationWorker.Audit.Report;

/// <summary>The records of the report's files as the page's JSON: every file's verification, a table of the distinct
/// strings, and one array a record whose text members are indexes into it (0 is absent), merged by time (equal
/// times in file order). Written with the default JavaScript encoder, so <c>&lt;</c>, <c>&gt;</c>, <c>&amp;</c>
/// and quotes are <c>\u003C</c>-style escapes and no value can close the script element that carries it.</summary>
internal sealed class AuditReportData
{
    /// <summary>The members of a record array, in order (the page's script reads them by these positions).</summary>
    public static readonly string[] Members =
        ["seq", "file", "time", "decision", "playbook", "resource", "group", "eventId", "reason", "guard", "status", "durationMs", "executionId", "causedBy", "input", "mode"];

    private readonly List<(StoredAuditRecord Record, int File)> _records = [];
    private readonly List<FileSummary> _files = [];

    public int RecordCount => _records.Count;

    public IReadOnlyList<FileSummary> Files => _files;

    /// <summary>Reads every file; lines that are not valid records are counted as skipped (their file does not verify).</summary>
    public static async Task<AuditReportData> ReadAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var data = new AuditReportData();
        var verified = await AuditFileCheck.VerifyAsync(paths, cancellationToken);
        for (var file = 0; file < paths.Count; file++)
        {
            var skipped = 0;
            await using (var stream = AuditFiles.OpenRead(paths[file]))
            {
                var reader = new AuditLineReader(stream);
                try
                {
                    while (await reader.ReadLineAsync(cancellationToken))
                    {
                        if (reader.IsTerminated && AuditChain.TryParse(reader.Current.Span, out var record, out _))
                        {
                            data._records.Add((record, file));
                        }
                        else
                        {
                            skipped++;
                        }
                    }
                }
                catch (InvalidDataException)
                {
                    skipped++;
                }
            }

            var verification = verified.FirstOrDefault(v => v.Path == paths[file]);
            data._files.Add(new FileSummary(paths[file], verification, skipped));
        }

        // A stable sort keeps each file's order among equal times, and files in the order given.
        var ordered = data._records.Select((r, i) => (r, i)).OrderBy(x => x.r.Record.Time).ThenBy(x => x.r.File).ThenBy(x => x.i).Select(x => x.r).ToList();
        data._records.Clear();
        data._records.AddRange(ordered);
        return data;
    }

    public void WriteJson(Stream output, DateTimeOffset generated)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = JavaScriptEncoder.Default });
        var strings = new Dictionary<string, int>(StringComparer.Ordinal);
        var table = new List<string>();
        int Index(string? text)
        {
            if (text is null)
            {
                return 0;
            }

            if (!strings.TryGetValue(text, out var index))
            {
                index = table.Count + 1;
                strings.Add(text, index);
                table.Add(text);
            }

            return index;
        }

        json.WriteStartObject();
        json.WriteString("generated", generated.UtcDateTime.ToString(AuditChain.TimeFormat, System.Globalization.CultureInfo.InvariantCulture));
        json.WriteStartArray("members");
        foreach (var member in Members)
        {
            json.WriteStringValue(member);
        }

        json.WriteEndArray();
        json.WriteStartArray("files");
        foreach (var file in _files)
        {
            json.WriteStartObject();
            json.WriteString("path", file.Path);
            json.WriteBoolean("verified", file.Verified);
            json.WriteString("status", file.Status);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("records");
        foreach (var (record, file) in _records)
        {
            json.WriteStartArray();
            json.WriteNumberValue(record.Seq);
            json.WriteNumberValue(file);
            json.WriteNumberValue(record.Time.ToUnixTimeMilliseconds());
            json.WriteNumberValue(Index(record.Decision.ToWireName()));
            json.WriteNumberValue(Index(record.Playbook));
            json.WriteNumberValue(Index(record.Resource));
            json.WriteNumberValue(Index(record.Resource is { } resource ? ResourceNames.Short(resource) : null));
            json.WriteNumberValue(Index(record.EventId));
            json.WriteNumberValue(Index(record.Reason));
            json.WriteNumberValue(Index(record.Guard));
            json.WriteNumberValue(Index(record.Status));
            if (record.DurationMs is { } duration)
            {
                json.WriteNumberValue(duration);
            }
            else
            {
                json.WriteNullValue();
            }

            json.WriteNumberValue(Index(record.ExecutionId));
            json.WriteNumberValue(Index(record.CausedBy));
            json.WriteNumberValue(Index(record.Input));
            json.WriteNumberValue(Index(record.Mode));
            json.WriteEndArray();
        }

        json.WriteEndArray();

        // The table comes last, when every string has its index.
        json.WriteStartArray("strings");
        json.WriteNullValue();
        foreach (var text in table)
        {
            json.WriteStringValue(text);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
