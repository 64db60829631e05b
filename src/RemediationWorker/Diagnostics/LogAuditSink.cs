using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using RemediationWorker.Audit;

namespace RemediationWorker.Diagnostics;

/// <summary>The fallback audit sink: each record as one JSON log line (event id 4101). Registered with
/// TryAdd, so the hash-chained file sink replaces it when it is registered.</summary>
internal sealed class LogAuditSink : IAuditSink
{
    private readonly ILogger<LogAuditSink> _logger;

    public LogAuditSink(ILogger<LogAuditSink> logger) => _logger = logger;

    public ValueTask WriteAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        if (_logger.IsEnabled(LogLevel.Information))
        {
            _logger.AuditRecord(ToJson(record));
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    internal static string ToJson(AuditRecord record)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("time", record.Time);
            writer.WriteString("workerId", record.WorkerId);
            writer.WriteString("decision", record.Decision.ToWireName());
            writer.WriteString("configHash", record.ConfigHash);
            WriteOptional(writer, "eventId", record.EventId);
            WriteOptional(writer, "source", record.Source);
            WriteOptional(writer, "detailType", record.DetailType);
            WriteOptional(writer, "account", record.Account);
            WriteOptional(writer, "region", record.Region);
            WriteOptional(writer, "resource", record.Resource);
            WriteOptional(writer, "playbook", record.Playbook);
            WriteOptional(writer, "guard", record.Guard);
            WriteOptional(writer, "reason", record.Reason);
            WriteOptional(writer, "mode", record.Mode);
            WriteOptional(writer, "documentName", record.DocumentName);
            WriteOptional(writer, "documentVersion", record.DocumentVersion);
            if (record.Parameters is { } parameters)
            {
                writer.WriteStartObject("parameters");
                foreach (var (name, value) in parameters)
                {
                    writer.WriteString(name, value);
                }

                writer.WriteEndObject();
            }

            WriteOptional(writer, "executionId", record.ExecutionId);
            WriteOptional(writer, "status", record.Status);
            if (record.Duration is { } duration)
            {
                writer.WriteNumber("durationMs", (long)duration.TotalMilliseconds);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
