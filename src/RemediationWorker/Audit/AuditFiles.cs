namespace RemediationWorker.Audit;

/// <summary>Opens audit files for reading while a sink may still be appending to them.</summary>
internal static class AuditFiles
{
    public static FileStream OpenRead(string path) => new(
        path,
        FileMode.Open,
        FileAccess.Read,
        FileShare.ReadWrite | FileShare.Delete,
        bufferSize: 0,
        FileOptions.SequentialScan | FileOptions.Asynchronous);
}
