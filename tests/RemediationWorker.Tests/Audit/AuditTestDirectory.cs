namespace RemediationWorker.Tests.Audit;

/// <summary>A temporary directory for one test, deleted afterwards.</summary>
internal sealed class AuditTestDirectory : IDisposable
{
    public AuditTestDirectory()
    {
        Path = Directory.CreateTempSubdirectory("audit-tests-").FullName;
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp directory must not fail a test.
        }
    }
}
