using RemediationWorker.Audit;

namespace RemediationWorker.Tests.TestSupport;

/// <summary>Keeps every record; counts flushes and remembers how many records each flush covered.</summary>
internal sealed class RecordingAuditSink : IAuditSink
{
    private readonly Lock _gate = new();
    private readonly List<AuditRecord> _records = [];

    public List<int> FlushedAt { get; } = [];

    public IReadOnlyList<AuditRecord> Records
    {
        get
        {
            lock (_gate)
            {
                return [.. _records];
            }
        }
    }

    public IEnumerable<AuditRecord> Of(AuditDecision decision) => Records.Where(r => r.Decision == decision);

    public ValueTask WriteAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _records.Add(record);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            FlushedAt.Add(_records.Count);
        }

        return ValueTask.CompletedTask;
    }

    public void Clear()
    {
        lock (_gate)
        {
            _records.Clear();
            FlushedAt.Clear();
        }
    }
}
