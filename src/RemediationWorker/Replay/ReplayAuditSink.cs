using RemediationWorker.Audit;

namespace RemediationWorker.Replay;

/// <summary>The audit sink of a replay: records go straight to the real sink, but the per-event flush is
/// skipped — a replay deletes no message, so nothing waits on durability — and the chain is flushed once at
/// the end (and whenever the sink's own buffer fills).</summary>
internal sealed class ReplayAuditSink : IAuditSink
{
    private readonly IAuditSink _inner;
    private readonly Dictionary<string, IReadOnlyDictionary<string, string>> _planned = new(StringComparer.Ordinal);

    public ReplayAuditSink(IAuditSink inner) => _inner = inner;

    /// <summary>The parameters of each run planned since the last <see cref="TakePlanned"/>, by playbook.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Planned => _planned;

    public ValueTask WriteAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        if (record is { Decision: AuditDecision.Planned, Playbook: { } playbook, Parameters: { } parameters })
        {
            _planned[playbook] = parameters; // the replay report shows what each planned run would have been started with
        }

        return _inner.WriteAsync(record, cancellationToken);
    }

    /// <summary>Forgets the planned runs of the event just reported.</summary>
    public void TakePlanned() => _planned.Clear();

    public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask FlushAtEndAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);
}
