using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using RemediationWorker.Audit;
using RemediationWorker.Remediation;

namespace RemediationWorker.Replay;

/// <summary>Prints replay verdicts and the summary, as a table or as JSON lines.</summary>
internal sealed class ReplayReport : IDisposable
{
    private readonly TextWriter _output;
    private readonly ReplayFormat _format;
    private static readonly JsonEncodedText EventIdName = JsonEncodedText.Encode("eventId");
    private static readonly JsonEncodedText TimeName = JsonEncodedText.Encode("time");
    private static readonly JsonEncodedText InputName = JsonEncodedText.Encode("input");
    private static readonly JsonEncodedText PlaybookName = JsonEncodedText.Encode("playbook");
    private static readonly JsonEncodedText DecisionName = JsonEncodedText.Encode("decision");
    private static readonly JsonEncodedText GuardName = JsonEncodedText.Encode("guard");
    private static readonly JsonEncodedText ReasonName = JsonEncodedText.Encode("reason");
    private static readonly JsonEncodedText ParametersName = JsonEncodedText.Encode("parameters");
    private static readonly JsonEncodedText ResourceName = JsonEncodedText.Encode("resource");

    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _json;
    private char[] _chars = new char[1024];
    private bool _headerWritten;

    public ReplayReport(TextWriter output, ReplayFormat format)
    {
        _output = output;
        _format = format;
        _json = new Utf8JsonWriter(_buffer);
    }

    public void Dispose() => _json.Dispose();

    /// <param name="planned">The rendered parameters of each planned run, by playbook.</param>
    public void WriteVerdicts(InspectedInput input, EventResult result, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? planned = null)
    {
        var eventId = input.Envelope?.Id ?? input.Incoming.Name;
        var time = input.Envelope?.Time;
        foreach (var verdict in result.Verdicts)
        {
            if (_format == ReplayFormat.Json)
            {
                WriteJsonVerdict(input, eventId, time, verdict, ParametersOf(verdict, planned));
            }
            else
            {
                WriteTableVerdict(eventId, time, verdict, ParametersOf(verdict, planned));
            }
        }
    }

    public void WriteSummary(ReplaySummary summary, string configHash)
    {
        if (_format == ReplayFormat.Json)
        {
            WriteJsonSummary(summary, configHash);
            return;
        }

        var decisions = string.Join(", ", summary.Decisions.Select(d => $"{d.Value} {d.Key}"));
        _output.WriteLine();
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{summary.Events} events, configuration {configHash}: {decisions}"));
        if (summary.Playbooks.Count > 0)
        {
            var columns = summary.Playbooks.Values.SelectMany(c => c.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
            _output.WriteLine();
            _output.WriteLine($"{"playbook",-28}" + string.Concat(columns.Select(c => $"{c,10}")));
            foreach (var (playbook, counts) in summary.Playbooks)
            {
                _output.WriteLine($"{playbook,-28}" + string.Concat(columns.Select(c => $"{counts.GetValueOrDefault(c),10}")));
            }
        }

        if (summary.Guards.Count > 0)
        {
            _output.WriteLine();
            _output.WriteLine($"{"guard",-28}{"stopped",10}");
            foreach (var (guard, count) in summary.Guards)
            {
                _output.WriteLine($"{guard,-28}{count,10}");
            }
        }
    }

    private static IReadOnlyDictionary<string, string>? ParametersOf(EventVerdict verdict, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? planned)
        => verdict is { Decision: AuditDecision.Planned, Playbook: { } playbook } && planned?.GetValueOrDefault(playbook) is { } parameters ? parameters : null;

    private void WriteTableVerdict(string eventId, DateTimeOffset? time, EventVerdict verdict, IReadOnlyDictionary<string, string>? parameters)
    {
        if (!_headerWritten)
        {
            _output.WriteLine($"{"time",-20}  {"event",-36}  {"playbook",-26}  {"decision",-10}  guard: reason");
            _headerWritten = true;
        }

        var timeText = time?.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) ?? "-";
        var why = verdict.Guard is null ? verdict.Reason ?? string.Empty : $"{verdict.Guard}: {verdict.Reason}";
        if (parameters is not null)
        {
            why += $" ({string.Join(", ", parameters.Select(p => $"{p.Key}={p.Value}"))})";
        }

        _output.WriteLine($"{timeText,-20}  {eventId,-36}  {verdict.Playbook ?? "-",-26}  {verdict.Decision.ToWireName(),-10}  {why}".TrimEnd());
    }

    private void WriteJsonVerdict(InspectedInput input, string eventId, DateTimeOffset? time, EventVerdict verdict, IReadOnlyDictionary<string, string>? parameters)
    {
        var writer = StartJsonLine();
        writer.WriteString(EventIdName, eventId);
        if (time is { } t)
        {
            writer.WriteString(TimeName, t);
        }

        writer.WriteString(InputName, input.Incoming.Name);
        WriteStringOrNull(writer, PlaybookName, verdict.Playbook);
        writer.WriteString(DecisionName, verdict.Decision.ToWireName());
        WriteStringOrNull(writer, GuardName, verdict.Guard);
        WriteStringOrNull(writer, ReasonName, verdict.Reason);
        WriteStringOrNull(writer, ResourceName, verdict.Resource);
        if (parameters is not null)
        {
            writer.WriteStartObject(ParametersName);
            foreach (var (name, value) in parameters)
            {
                writer.WriteString(name, value);
            }

            writer.WriteEndObject();
        }

        EndJsonLine();
    }

    private void WriteJsonSummary(ReplaySummary summary, string configHash)
    {
        var writer = StartJsonLine();
        writer.WriteStartObject("summary");
        writer.WriteNumber("events", summary.Events);
        writer.WriteString("configHash", configHash);
        WriteCounts(writer, "decisions", summary.Decisions);
        writer.WriteStartObject("playbooks");
        foreach (var (playbook, counts) in summary.Playbooks)
        {
            WriteCounts(writer, playbook, counts);
        }

        writer.WriteEndObject();
        WriteCounts(writer, "guards", summary.Guards);
        writer.WriteEndObject();
        EndJsonLine();
    }

    /// <summary>One writer and one buffer for every line: a replay prints one line per verdict.</summary>
    private Utf8JsonWriter StartJsonLine()
    {
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        _json.WriteStartObject();
        return _json;
    }

    private void EndJsonLine()
    {
        _json.WriteEndObject();
        _json.Flush();
        var utf8 = _buffer.WrittenSpan;
        if (_chars.Length < utf8.Length)
        {
            _chars = new char[Math.Max(utf8.Length, _chars.Length * 2)];
        }

        var length = Encoding.UTF8.GetChars(utf8, _chars);
        _output.WriteLine(_chars.AsSpan(0, length));
    }

    private static void WriteCounts(Utf8JsonWriter writer, string name, SortedDictionary<string, int> counts)
    {
        writer.WriteStartObject(name);
        foreach (var (key, count) in counts)
        {
            writer.WriteNumber(key, count);
        }

        writer.WriteEndObject();
    }

    private static void WriteStringOrNull(Utf8JsonWriter writer, JsonEncodedText name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}
