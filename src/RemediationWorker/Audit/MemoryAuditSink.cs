namespace RemediationWorker.Audit;

/// <summary>Keeps records in memory: for tests, and for replay, which reports the verdicts it collected.</summary>
internal sealed class MemoryAuditSink : IAuditSink
{
    private readonly Lock _lock = new();
    private readonly List<AuditRecord> _records = [];
    private int _flushedCount;

    /// <summary>A snapshot of the records written so far, in order.</summary>
    public IReadOnlyList<AuditRecord> Records
    {
        get
        {
            lock (_lock)
            {
                return [.. _records];
            }
        }
    }

    /// <summary>How many records had been written at the last <see cref="FlushAsync"/>: a test can assert that
    /// every record was flushed before an event counted as handled.</summary>
    public int FlushedCount
    {
        get
        {
            lock (_lock)
            {
                return _flushedCount;
            }
        }
    }

    public ValueTask WriteAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            _records.Add(AuditRecordBounds.Apply(record));
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            _flushedCount = _records.Count;
        }

        return ValueTask.CompletedTask;
    }
}
