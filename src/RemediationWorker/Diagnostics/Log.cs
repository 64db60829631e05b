using Microsoft.Extensions.Logging;
using RemediationWorker.Playbooks;

namespace RemediationWorker.Diagnostics;

/// <summary>The pipeline's log messages. Event ids: 1xxx intake, 2xxx playbooks and guards, 3xxx execution
/// (4xxx audit: Audit/AuditTrace.cs). Event bodies are never logged.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1001, EventName = "InputRejected", Level = LogLevel.Warning,
        Message = "Rejected {InputName}: {Reason}")]
    public static partial void InputRejected(this ILogger logger, string inputName, string reason);

    [LoggerMessage(EventId = 1002, EventName = "IntakeStarted", Level = LogLevel.Information,
        Message = "Reading events from {Path} ({Behaviour})")]
    public static partial void IntakeStarted(this ILogger logger, string path, string behaviour);

    [LoggerMessage(EventId = 1003, EventName = "IntakeDrained", Level = LogLevel.Information,
        Message = "Drained {EventCount} events from {Path}")]
    public static partial void IntakeDrained(this ILogger logger, int eventCount, string path);

    [LoggerMessage(EventId = 1004, EventName = "EventHandlingFailed", Level = LogLevel.Error,
        Message = "Handling {InputName} failed; it is left to be retried")]
    public static partial void EventHandlingFailed(this ILogger logger, Exception exception, string inputName);

    [LoggerMessage(EventId = 1005, EventName = "InputUnreadable", Level = LogLevel.Warning,
        Message = "Cannot read {InputName}: {Reason}")]
    public static partial void InputUnreadable(this ILogger logger, string inputName, string reason);

    [LoggerMessage(EventId = 1006, EventName = "HeartbeatFailed", Level = LogLevel.Warning,
        Message = "Cannot write the heartbeat {HeartbeatPath}; health will report unhealthy")]
    public static partial void HeartbeatFailed(this ILogger logger, Exception exception, string heartbeatPath);

    [LoggerMessage(EventId = 2001, EventName = "ConfigurationLoaded", Level = LogLevel.Information,
        Message = "Configuration {ConfigHash} in effect: {EnabledCount} of {PlaybookCount} playbooks enabled, execution mode {Mode}")]
    public static partial void ConfigurationLoaded(this ILogger logger, string configHash, int enabledCount, int playbookCount, RunMode mode);

    [LoggerMessage(EventId = 2002, EventName = "ConfigurationRejected", Level = LogLevel.Error,
        Message = "Configuration edit refused, {ConfigHash} keeps running: {Errors}")]
    public static partial void ConfigurationRejected(this ILogger logger, string configHash, string errors);

    [LoggerMessage(EventId = 2003, EventName = "ConfigurationReloadFailed", Level = LogLevel.Error,
        Message = "Configuration reload failed, {ConfigHash} keeps running")]
    public static partial void ConfigurationReloadFailed(this ILogger logger, Exception exception, string configHash);

    [LoggerMessage(EventId = 2004, EventName = "Decision", Level = LogLevel.Information,
        Message = "{Decision} {SourceEventId} {PlaybookName} {Resource} {Guard}: {Reason}")]
    public static partial void Decision(this ILogger logger, string decision, string? sourceEventId, string? playbookName, string? resource, string? guard, string? reason);

    [LoggerMessage(EventId = 2005, EventName = "NoMatch", Level = LogLevel.Information,
        Message = "no-match {SourceEventId}: no enabled playbook matches this {DetailType} from {Source}")]
    public static partial void NoMatch(this ILogger logger, string sourceEventId, string detailType, string source);

    [LoggerMessage(EventId = 3001, EventName = "RunbookPlanned", Level = LogLevel.Information,
        Message = "Planned {DocumentName} for {PlaybookName} on {Resource} (dry-run, event {SourceEventId})")]
    public static partial void RunbookPlanned(this ILogger logger, string documentName, string playbookName, string resource, string sourceEventId);

    [LoggerMessage(EventId = 3002, EventName = "AutomationFailed", Level = LogLevel.Error,
        Message = "Automation {DocumentName} for {PlaybookName} failed for event {SourceEventId}")]
    public static partial void AutomationFailed(this ILogger logger, Exception exception, string documentName, string playbookName, string sourceEventId);

    [LoggerMessage(EventId = 3003, EventName = "AutomationFinished", Level = LogLevel.Information,
        Message = "Automation {AutomationExecutionId} for {PlaybookName} ended {Status} after {Duration}")]
    public static partial void AutomationFinished(this ILogger logger, string automationExecutionId, string playbookName, string status, TimeSpan duration);
}
