namespace RemediationWorker.Audit;

/// <summary>What <see cref="AuditChainVerifier"/> found in one file.</summary>
/// <param name="RecordCount">Records read that link correctly (all of them when the chain is intact).</param>
/// <param name="BrokenLine">The 1-based line of the first broken link, or <see langword="null"/>.</param>
/// <param name="Problem">What is wrong at <paramref name="BrokenLine"/>.</param>
/// <param name="LastHash">The hash of the last intact record: compare it with the last <c>AuditRecordWritten</c>
/// log entry to detect lines cut from the end, which the chain alone cannot show.</param>
internal sealed record AuditVerifyResult(long RecordCount, long? BrokenLine, string? Problem, string? LastHash)
{
    public bool IsIntact => BrokenLine is null;

    /// <summary>The seq of the last intact record (the start's seq minus one when there is none).</summary>
    public long LastSeq { get; init; }

    /// <summary>The lines read (up to the broken one).</summary>
    public long LineCount { get; init; }
}
