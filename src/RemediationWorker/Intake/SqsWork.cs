using Amazon.SQS.Model;
using RemediationWorker.Diagnostics;

namespace RemediationWorker.Intake;

/// <summary>One received message while this worker holds it: its receipt handle, how often SQS has delivered it
/// and until when it stays invisible (the heartbeat renews that).</summary>
internal sealed class SqsWork
{
    public SqsWork(Message message, DateTimeOffset visibleAt)
    {
        Message = message;
        VisibleAt = visibleAt;
        ReceiveCount = message.Attributes is { } attributes
                       && attributes.TryGetValue("ApproximateReceiveCount", out var text)
                       && int.TryParse(text, out var count) ? count : 1;
    }

    public Message Message { get; }

    public int ReceiveCount { get; }

    /// <summary>When the message becomes visible again unless renewed (guarded by the heartbeat's lock).</summary>
    public DateTimeOffset VisibleAt { get; set; }

    /// <summary>The event, continuing the trace of the message's <c>AWSTraceHeader</c> when it has one.</summary>
    public IncomingEvent ToIncoming()
        => new($"sqs:{Message.MessageId}", System.Text.Encoding.UTF8.GetBytes(Message.Body ?? string.Empty))
        {
            SourceState = this,
            TraceParent = Message.Attributes is { } attributes
                          && attributes.TryGetValue(AwsTraceHeader.AttributeName, out var header)
                          && AwsTraceHeader.TryGetParentContext(header, out var parent) ? parent : default,
        };
}
