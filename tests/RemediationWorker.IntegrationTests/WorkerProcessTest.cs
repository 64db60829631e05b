using Xunit.Abstractions;

namespace RemediationWorker.IntegrationTests;

/// <summary>What the process-level tests share: the collection's endpoints with a healthy front at the start and
/// end of each test, the test's output, and a directory of its own for the processes' audit files.</summary>
public abstract class WorkerProcessTest : IDisposable
{
    protected WorkerProcessTest(AwsFixture fixture, ITestOutputHelper output)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        Aws = fixture.Aws;
        Output = output;
        Aws.Front.Reset();
    }

    internal AwsEndpoints Aws { get; }

    internal ITestOutputHelper Output { get; }

    internal DirectoryInfo Directory { get; } = System.IO.Directory.CreateTempSubdirectory("rw-process-");

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Aws.Front.Reset(); // for the scenarios after this one
            Directory.Delete(recursive: true);
        }
    }
}
