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

    [LoggerMessage(EventId = 2006, EventName = "ConfigurationPollFailed", Level = LogLevel.Warning,
        Message = "Could not look for a new configuration at {ConfigurationLocation} ({Reason}); the version in force keeps running, the next poll tries again")]
    public static partial void ConfigurationPollFailed(this ILogger logger, string configurationLocation, string reason);

    [LoggerMessage(EventId = 2004, EventName = "Decision", Level = LogLevel.Information,
        Message = "{Decision} {SourceEventId} {PlaybookName} {Resource} {Guard}: {Reason}")]
    public static partial void Decision(this ILogger logger, string decision, string? sourceEventId, string? playbookName, string? resource, string? guard, string? reason);

    [LoggerMessage(EventId = 2005, EventName = "NoMatch", Level = LogLevel.Information,
        Message = "no-match {SourceEventId}: no enabled playbook matches this {DetailType} from {Source}")]
    public static partial void NoMatch(this ILogger logger, string sourceEventId, string detailType, string source);

    [LoggerMessage(EventId = 2101, EventName = "LedgerUnavailable", Level = LogLevel.Error,
        Message = "The ledger's DynamoDB {Operation} on table {TableName} failed after its retries; events wait for redelivery")]
    public static partial void LedgerUnavailable(this ILogger logger, Exception exception, string operation, string tableName);

    [LoggerMessage(EventId = 2102, EventName = "LedgerStartRetried", Level = LogLevel.Information,
        Message = "Start of {PlaybookName} on {Resource} found the ledger changed since it was read (try {Attempt}, reasons {Reasons}); trying again")]
    public static partial void LedgerStartRetried(this ILogger logger, string resource, string playbookName, int attempt, string reasons);

    [LoggerMessage(EventId = 2103, EventName = "LedgerExpiredLeasesRemoved", Level = LogLevel.Warning,
        Message = "Removing {LeaseCount} expired leases whose replicas stopped without recording an outcome")]
    public static partial void LedgerExpiredLeasesRemoved(this ILogger logger, int leaseCount);

    [LoggerMessage(EventId = 2104, EventName = "EventDeferred", Level = LogLevel.Warning,
        Message = "Event {SourceEventId} for {PlaybookName} on {Resource} waits for redelivery: {Reason}")]
    public static partial void EventDeferred(this ILogger logger, string sourceEventId, string playbookName, string resource, string reason);

    [LoggerMessage(EventId = 2105, EventName = "RunTakenOver", Level = LogLevel.Warning,
        Message = "Took over the run of {PlaybookName} for event {SourceEventId} on {Resource} from {PreviousOwner}, whose lease expired at {LeaseUntil}")]
    public static partial void RunTakenOver(this ILogger logger, string playbookName, string sourceEventId, string resource, string previousOwner, DateTimeOffset? leaseUntil);

    [LoggerMessage(EventId = 3001, EventName = "RunbookPlanned", Level = LogLevel.Information,
        Message = "Planned {DocumentName} for {PlaybookName} on {Resource} (dry-run, event {SourceEventId})")]
    public static partial void RunbookPlanned(this ILogger logger, string documentName, string playbookName, string resource, string sourceEventId);

    [LoggerMessage(EventId = 3002, EventName = "AutomationFailed", Level = LogLevel.Error,
        Message = "Automation {DocumentName} for {PlaybookName} failed for event {SourceEventId}")]
    public static partial void AutomationFailed(this ILogger logger, Exception exception, string documentName, string playbookName, string sourceEventId);

    [LoggerMessage(EventId = 3003, EventName = "AutomationFinished", Level = LogLevel.Information,
        Message = "Automation {AutomationExecutionId} for {PlaybookName} ended {Status} after {Duration}")]
    public static partial void AutomationFinished(this ILogger logger, string automationExecutionId, string playbookName, string status, TimeSpan duration);

    [LoggerMessage(EventId = 3101, EventName = "AutomationStarted", Level = LogLevel.Information,
        Message = "Started automation {AutomationExecutionId} ({DocumentName}) for {PlaybookName}, event {SourceEventId}")]
    public static partial void AutomationStarted(this ILogger logger, string automationExecutionId, string documentName, string playbookName, string sourceEventId);

    [LoggerMessage(EventId = 3102, EventName = "AutomationFoundExisting", Level = LogLevel.Information,
        Message = "Automation {AutomationExecutionId} already runs for {PlaybookName}, event {SourceEventId} (same ClientToken); tracking it")]
    public static partial void AutomationFoundExisting(this ILogger logger, string automationExecutionId, string playbookName, string sourceEventId);

    [LoggerMessage(EventId = 3103, EventName = "AutomationQueueFull", Level = LogLevel.Warning,
        Message = "The account's automation queue is full (AutomationExecutionLimitExceeded): every start waits {Pause}")]
    public static partial void AutomationQueueFull(this ILogger logger, TimeSpan pause);

    [LoggerMessage(EventId = 3104, EventName = "AutomationStatusUnknown", Level = LogLevel.Warning,
        Message = "Automation {AutomationExecutionId} reports status {Status}, which this build does not know; treated as still running")]
    public static partial void AutomationStatusUnknown(this ILogger logger, string automationExecutionId, string status);

    [LoggerMessage(EventId = 3105, EventName = "AutomationPollFailed", Level = LogLevel.Warning,
        Message = "Polling automation {AutomationExecutionId} failed; polling on")]
    public static partial void AutomationPollFailed(this ILogger logger, Exception exception, string automationExecutionId);

    [LoggerMessage(EventId = 3106, EventName = "AutomationStopped", Level = LogLevel.Warning,
        Message = "Stopped automation {AutomationExecutionId} at the playbook's timeout")]
    public static partial void AutomationStopped(this ILogger logger, string automationExecutionId);

    [LoggerMessage(EventId = 3107, EventName = "AutomationStopFailed", Level = LogLevel.Information,
        Message = "Automation {AutomationExecutionId} could not be stopped (already ended or gone)")]
    public static partial void AutomationStopFailed(this ILogger logger, Exception exception, string automationExecutionId);

    [LoggerMessage(EventId = 1101, EventName = "SqsIntakeStarted", Level = LogLevel.Information,
        Message = "Reading {QueueUrl} with {Handlers} handlers; dead-letter queue {DeadLetterQueueUrl}")]
    public static partial void SqsIntakeStarted(this ILogger logger, string queueUrl, int handlers, string deadLetterQueueUrl);

    [LoggerMessage(EventId = 1102, EventName = "SqsIntakeStopping", Level = LogLevel.Information,
        Message = "Stopping: no more receives; {InFlight} messages in work get {Grace} to finish, the rest is handed back")]
    public static partial void SqsIntakeStopping(this ILogger logger, int inFlight, TimeSpan grace);

    [LoggerMessage(EventId = 1103, EventName = "SqsIntakeStopped", Level = LogLevel.Information,
        Message = "Stopped reading {QueueUrl}; audit flushed")]
    public static partial void SqsIntakeStopped(this ILogger logger, string queueUrl);

    [LoggerMessage(EventId = 1104, EventName = "SqsFatal", Level = LogLevel.Critical,
        Message = "SQS refuses {QueueUrl}; the worker stops. {Fix}")]
    public static partial void SqsFatal(this ILogger logger, Exception exception, string queueUrl, string fix);

    [LoggerMessage(EventId = 1105, EventName = "SqsReceiveFailed", Level = LogLevel.Warning,
        Message = "Receiving from {QueueUrl} failed; trying again in {Delay}")]
    public static partial void SqsReceiveFailed(this ILogger logger, Exception exception, string queueUrl, TimeSpan delay);

    [LoggerMessage(EventId = 1106, EventName = "SqsDeleteFailed", Level = LogLevel.Warning,
        Message = "SQS did not delete {MessageId}: {Code} {Reason}; it will be redelivered and found handled")]
    public static partial void SqsDeleteFailed(this ILogger logger, string messageId, string code, string reason);

    [LoggerMessage(EventId = 1107, EventName = "SqsDeleteBatchFailed", Level = LogLevel.Warning,
        Message = "Deleting {Count} messages from {QueueUrl} failed; they will be redelivered and found handled")]
    public static partial void SqsDeleteBatchFailed(this ILogger logger, Exception exception, string queueUrl, int count);

    [LoggerMessage(EventId = 1108, EventName = "SqsHeartbeatFailed", Level = LogLevel.Warning,
        Message = "SQS did not extend the visibility of {MessageId}: {Code} {Reason}")]
    public static partial void SqsHeartbeatFailed(this ILogger logger, string messageId, string code, string reason);

    [LoggerMessage(EventId = 1109, EventName = "SqsHeartbeatBatchFailed", Level = LogLevel.Warning,
        Message = "Extending the visibility of {Count} messages in {QueueUrl} failed; trying again next tick")]
    public static partial void SqsHeartbeatBatchFailed(this ILogger logger, Exception exception, string queueUrl, int count);

    [LoggerMessage(EventId = 1110, EventName = "SqsReleased", Level = LogLevel.Information,
        Message = "Handed back {MessageId} (visible again in {Visibility}, receive {ReceiveCount})")]
    public static partial void SqsReleased(this ILogger logger, string messageId, TimeSpan visibility, int receiveCount);

    [LoggerMessage(EventId = 1111, EventName = "SqsReleaseFailed", Level = LogLevel.Warning,
        Message = "Handing back {MessageId} failed; it becomes visible when its timeout lapses")]
    public static partial void SqsReleaseFailed(this ILogger logger, Exception exception, string messageId);

    [LoggerMessage(EventId = 1112, EventName = "SqsDeadLettered", Level = LogLevel.Warning,
        Message = "Forwarded {MessageId} to {DeadLetterQueueUrl} and deleted it")]
    public static partial void SqsDeadLettered(this ILogger logger, string messageId, string deadLetterQueueUrl);

    [LoggerMessage(EventId = 1113, EventName = "SqsDeadLetterFailed", Level = LogLevel.Error,
        Message = "Forwarding {MessageId} to {DeadLetterQueueUrl} failed; it is left to the redrive policy")]
    public static partial void SqsDeadLetterFailed(this ILogger logger, Exception exception, string messageId, string deadLetterQueueUrl);

    [LoggerMessage(EventId = 1114, EventName = "SqsQueueMismatch", Level = LogLevel.Warning,
        Message = "The queue {QueueUrl} does not fit the worker's deferrals and retries: {Problem}")]
    public static partial void SqsQueueMismatch(this ILogger logger, string queueUrl, string problem);

    [LoggerMessage(EventId = 1115, EventName = "SqsDeferred", Level = LogLevel.Information,
        Message = "Deferred {MessageId}: sent again with a delay of {DelaySeconds} s, the received copy deleted")]
    public static partial void SqsDeferred(this ILogger logger, string messageId, int delaySeconds);

    [LoggerMessage(EventId = 1116, EventName = "SqsDeferFailed", Level = LogLevel.Warning,
        Message = "Sending deferred {MessageId} again failed; it is handed back with a visibility back-off instead")]
    public static partial void SqsDeferFailed(this ILogger logger, Exception exception, string messageId);

    [LoggerMessage(EventId = 3201, EventName = "OpsItemCreated", Level = LogLevel.Warning,
        Message = "Escalated {PlaybookName} on {Resource} as OpsItem {OpsItemId}")]
    public static partial void OpsItemCreated(this ILogger logger, string opsItemId, string playbookName, string resource);

    [LoggerMessage(EventId = 3202, EventName = "OpsItemFailed", Level = LogLevel.Error,
        Message = "Escalating {PlaybookName} on {Resource} as an OpsItem failed; the audit record stands")]
    public static partial void OpsItemFailed(this ILogger logger, Exception exception, string playbookName, string resource);
}
