namespace RemediationWorker.Audit;

/// <summary>Where audit records go. Test seam; the production sink is the hash-chained JSON-lines file.</summary>
internal interface IAuditSink
{
    /// <summary>Appends a record to the chain.</summary>
    ValueTask WriteAsync(AuditRecord record, CancellationToken cancellationToken);

    /// <summary>Makes every record written so far durable; called before an event counts as handled.</summary>
    ValueTask FlushAsync(CancellationToken cancellationToken);
}
