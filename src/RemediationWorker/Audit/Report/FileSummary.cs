namespace RemediationWorker.Audit.Report;

/// <summary>One file of a report: whether its chain verifies (<see cref="AuditChainVerifier"/>), in
/// <c>audit verify</c>'s words, and how many lines were not readable records.</summary>
internal sealed record FileSummary(string Path, FileVerification? Verification, int SkippedLines)
{
    public bool Verified => Verification is { Result.IsIntact: true } && SkippedLines == 0;

    public string Status => Verification is null ? "could not be read" : Verification.Describe();
}
