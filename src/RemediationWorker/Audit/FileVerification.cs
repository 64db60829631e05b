namespace RemediationWorker.Audit;

/// <summary>One file's verification.</summary>
internal sealed record FileVerification(string Path, AuditVerifyResult Result)
{
    public string Describe() => Result.IsIntact
        ? $"ok {Result.RecordCount} records"
        : $"broken at line {Result.BrokenLine}: {Result.Problem}";
}
