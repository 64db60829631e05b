using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace RemediationWorker.Audit;

/// <summary>Audit log messages (event ids 4xxx).</summary>
internal static partial class AuditTrace
{
    [LoggerMessage(EventId = 4001, EventName = "AuditRecordWritten", Level = LogLevel.Information,
        Message = "Audit {Decision} #{Seq} at {Time} by {WorkerId}: event {SourceEventId} ({Source} / {DetailType}) "
            + "account {Account} region {Region} resource {Resource} playbook {PlaybookName} config {ConfigHash} "
            + "mode {Mode} guard {Guard} reason {Reason} document {DocumentName} {DocumentVersion} parameters {Parameters} "
            + "execution {AutomationExecutionId} status {Status} duration {DurationMs} ms client token {ClientToken} caused by {CausedBy} "
            + "retry at {RetryAt} hash {Hash}")]
    public static partial void AuditRecordWritten(
        this ILogger logger,
        string decision,
        long seq,
        string time,
        string workerId,
        string? sourceEventId,
        string? source,
        string? detailType,
        string? account,
        string? region,
        string? resource,
        string? playbookName,
        string configHash,
        string? mode,
        string? guard,
        string? reason,
        string? documentName,
        string? documentVersion,
        string? parameters,
        string? automationExecutionId,
        string? status,
        long? durationMs,
        string? clientToken,
        string? causedBy,
        string? retryAt,
        string hash);

    [LoggerMessage(EventId = 4002, EventName = "AuditLogOpened", Level = LogLevel.Information,
        Message = "Audit log {AuditPath} opened; the next record is #{Seq}")]
    public static partial void AuditLogOpened(this ILogger logger, string auditPath, long seq);

    [LoggerMessage(EventId = 4003, EventName = "AuditLogFailed", Level = LogLevel.Critical,
        Message = "Audit log {AuditPath} failed to write; it accepts no more records until a write succeeds again (a failed fsync: until the worker restarts)")]
    public static partial void AuditLogFailed(this ILogger logger, Exception exception, string auditPath);

    [LoggerMessage(EventId = 4004, EventName = "AuditUnavailable", Level = LogLevel.Critical,
        Message = "The audit log cannot be written: nothing starts, no message is taken, and the write is tried again every {RetryInterval}")]
    public static partial void AuditUnavailable(this ILogger logger, Exception exception, TimeSpan retryInterval);

    [LoggerMessage(EventId = 4005, EventName = "AuditWritableAgain", Level = LogLevel.Warning,
        Message = "The audit log is writable again; the intake resumes")]
    public static partial void AuditWritableAgain(this ILogger logger);

    [LoggerMessage(EventId = 4006, EventName = "AuditSegmentClosed", Level = LogLevel.Information,
        Message = "Audit segment {Segment} closed with records #{FirstSeq} to #{LastSeq}; digest {DigestPath}")]
    public static partial void AuditSegmentClosed(this ILogger logger, string segment, long firstSeq, long lastSeq, string digestPath);

    [LoggerMessage(EventId = 4007, EventName = "AuditDigestFailed", Level = LogLevel.Error,
        Message = "The digest of audit segment {Segment} (records #{FirstSeq} to #{LastSeq}) could not be written; the next digest still links to the last one written")]
    public static partial void AuditDigestFailed(this ILogger logger, Exception exception, string segment, long firstSeq, long lastSeq);

    [LoggerMessage(EventId = 4008, EventName = "AuditShipFailed", Level = LogLevel.Warning,
        Message = "Shipping {ArchiveName} to the audit archive failed; trying again in {RetryDelay}")]
    public static partial void AuditShipFailed(this ILogger logger, Exception exception, string archiveName, TimeSpan retryDelay);

    [LoggerMessage(EventId = 4009, EventName = "AuditShipAbandoned", Level = LogLevel.Error,
        Message = "{ArchiveName} was not shipped to the audit archive before shutdown; it stays on the task's volume only")]
    public static partial void AuditShipAbandoned(this ILogger logger, string archiveName);

    /// <summary>Logs a record as written (event 4001) with every field, when Information is enabled.</summary>
    public static void AuditRecordWritten(this ILogger logger, AuditRecord record, long seq, string hash)
    {
        if (!logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        var parameters = record.Parameters is null
            ? null
            : JsonSerializer.Serialize(record.Parameters, AuditJsonContext.Default.IReadOnlyDictionaryStringString);
        logger.AuditRecordWritten(
            record.Decision.ToWireName(),
            seq,
            record.Time.UtcDateTime.ToString(AuditChain.TimeFormat, CultureInfo.InvariantCulture),
            record.WorkerId,
            record.EventId,
            record.Source,
            record.DetailType,
            record.Account,
            record.Region,
            record.Resource,
            record.Playbook,
            record.ConfigHash,
            record.Mode,
            record.Guard,
            record.Reason,
            record.DocumentName,
            record.DocumentVersion,
            parameters,
            record.ExecutionId,
            record.Status,
            record.DurationMs,
            record.ClientToken,
            record.CausedBy,
            record.RetryAt?.UtcDateTime.ToString(AuditChain.TimeFormat, CultureInfo.InvariantCulture),
            hash);
    }
}
