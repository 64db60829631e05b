using RemediationWorker.Audit;

namespace RemediationWorker.Replay;

/// <summary>The audit sink of a replay: records go straight to the real sink, but the per-event flush is
/// skipped — a replay deletes no message, so nothing waits on durability — and the chain is flushed once at
/// the end (and whenever the sink's own buffer fills).</summary>
internal sealed class ReplayAuditSink : IAuditSink
{
    private readonly IAuditSink _inner;

    public ReplayAuditSink(IAuditSink inner) => _inner = inner;

    public ValueTask WriteAsync(AuditRecord record, CancellationToken cancellationToken) => _inner.WriteAsync(record, cancellationToken);

    public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask FlushAtEndAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);
}
