using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RemediationWorker.Intake;
using RemediationWorker.Tests.TestSupport;

namespace RemediationWorker.Tests.Intake;

public sealed class LocalDirectoryEventSourceTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("intake-").FullName;
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task ReadAllAsync_Once_DrainsTheSamplesWithoutTouchingThem()
    {
        var before = Snapshot(RepositoryPaths.SampleEvents);
        var source = CreateSut(RepositoryPaths.SampleEvents, once: true);

        var names = new List<string>();
        await foreach (var incoming in source.ReadAllAsync(CancellationToken.None))
        {
            names.Add(incoming.Name);
            await source.CompleteAsync(incoming, EventOutcome.Handled, CancellationToken.None);
        }

        Assert.Equal(Directory.GetFiles(RepositoryPaths.SampleEvents).Length, names.Count);
        Assert.Equal(before, Snapshot(RepositoryPaths.SampleEvents));
    }

    [Fact]
    public async Task ReadAllAsync_Watching_ReadsNewFilesAndGrownLinesOnlyOnce()
    {
        File.WriteAllText(Path.Combine(_directory, "a.jsonl"), "{\"n\":1}\n");
        var source = CreateSut(_directory, once: false);
        using var cts = new CancellationTokenSource();
        var seen = new List<string>();
        var reading = Task.Run(async () =>
        {
            await foreach (var incoming in source.ReadAllAsync(cts.Token))
            {
                lock (seen)
                {
                    seen.Add(incoming.Name);
                }

                await source.CompleteAsync(incoming, EventOutcome.Handled, CancellationToken.None);
            }
        });

        await WaitUntil(() => Count(seen) == 1);
        File.AppendAllText(Path.Combine(_directory, "a.jsonl"), "{\"n\":2}\n");
        File.WriteAllText(Path.Combine(_directory, "b.json"), "{}");
        await WaitUntil(() => { _time.Advance(TimeSpan.FromSeconds(2)); return Count(seen) == 3; });
        _time.Advance(TimeSpan.FromSeconds(2));
        _time.Advance(TimeSpan.FromSeconds(2));
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading);

        Assert.Equal(["a.jsonl:1", "a.jsonl:2", "b.json"], seen);
    }

    [Fact]
    public async Task ReadAllAsync_RetryLater_ReadsTheEventAgainAtTheNextLook()
    {
        File.WriteAllText(Path.Combine(_directory, "a.jsonl"), "{\"n\":1}\n{\"n\":2}\n");
        var source = CreateSut(_directory, once: false);
        using var cts = new CancellationTokenSource();
        var seen = new List<string>();
        var reading = Task.Run(async () =>
        {
            await foreach (var incoming in source.ReadAllAsync(cts.Token))
            {
                int count;
                lock (seen)
                {
                    seen.Add(incoming.Name);
                    count = seen.Count;
                }

                await source.CompleteAsync(incoming, count == 1 ? EventOutcome.RetryLater : EventOutcome.Handled, CancellationToken.None);
            }
        });

        await WaitUntil(() => { _time.Advance(TimeSpan.FromSeconds(2)); return Count(seen) == 3; });
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading);

        Assert.Equal(["a.jsonl:1", "a.jsonl:1", "a.jsonl:2"], seen);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static int Count(List<string> seen)
    {
        lock (seen)
        {
            return seen.Count;
        }
    }

    /// <summary>Lets the reader's thread-pool work run until <paramref name="condition"/> holds; bounded by
    /// wall time only as a safety net for a loaded machine (the source's own waits are on fake time).</summary>
    private static async Task WaitUntil(Func<bool> condition)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!condition() && watch.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Run(() => { });
        }

        Assert.True(condition());
    }

    private static Dictionary<string, (long, DateTime)> Snapshot(string directory)
        => Directory.GetFiles(directory).ToDictionary(f => f, f => (new FileInfo(f).Length, File.GetLastWriteTimeUtc(f)));

    private LocalDirectoryEventSource CreateSut(string path, bool once)
        => new(
            Options.Create(new IntakeOptions { Local = new LocalIntakeOptions { Path = path, PollInterval = TimeSpan.FromSeconds(2) } }),
            new RunSettings(once),
            _time,
            NullLogger<LocalDirectoryEventSource>.Instance);
}
