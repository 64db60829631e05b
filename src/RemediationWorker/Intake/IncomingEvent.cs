using System.Diagnostics;

namespace RemediationWorker.Intake;

/// <summary>One event body as it arrived, named for logs (<c>samples/events/x.json</c>, <c>day.jsonl:17</c>,
/// or a queue message id). <see cref="ReadError"/> is set when the body could not be read at all (for
/// example a line over the size limit); then <see cref="Body"/> is empty.</summary>
internal sealed record IncomingEvent(string Name, ReadOnlyMemory<byte> Body, string? ReadError = null)
{
    /// <summary>The source's own handle (a receipt handle, a file position).</summary>
    public object? SourceState { get; init; }

    /// <summary>The remote parent of the event's trace (an SQS message's <c>AWSTraceHeader</c>, parsed with
    /// <see cref="Diagnostics.AwsTraceHeader.TryGetParentContext"/>); <see langword="default"/> starts a new trace.</summary>
    public ActivityContext TraceParent { get; init; }
}
