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

    [Fact]
    public async Task ReadAllAsync_JsonlRewrittenInPlaceLonger_ReadAgainFromTheStart()
    {
        // The same inode, other first bytes: not the file that was read, though it is longer.
        var seen = await WatchAsync(
            "{\"n\":1}\n{\"n\":2}\n",
            file => File.WriteAllText(file, "{\"m\":1}\n{\"m\":2}\n{\"m\":3}\n"),
            expected: 5);

        Assert.Equal(["a.jsonl:1 {\"n\":1}", "a.jsonl:2 {\"n\":2}", "a.jsonl:1 {\"m\":1}", "a.jsonl:2 {\"m\":2}", "a.jsonl:3 {\"m\":3}"], seen);
    }

    [Fact]
    public async Task ReadAllAsync_JsonlReplacedByANewFileWithTheSameStart_ReadAgainFromTheStart()
    {
        // Another inode under the same name (an editor's save, a log rotation): read from the start.
        var seen = await WatchAsync(
            "{\"n\":1}\n",
            file =>
            {
                File.WriteAllText(file + ".tmp", "{\"n\":1}\n{\"n\":2}\n");
                File.Move(file + ".tmp", file, overwrite: true);
            },
            expected: 3);

        Assert.Equal(["a.jsonl:1 {\"n\":1}", "a.jsonl:1 {\"n\":1}", "a.jsonl:2 {\"n\":2}"], seen);
    }

    [Fact]
    public async Task ReadAllAsync_JsonlShrunk_ReadAgainFromTheStart()
    {
        var seen = await WatchAsync(
            "{\"n\":1}\n{\"n\":2}\n",
            file => File.WriteAllText(file, "{\"n\":1}\n"),
            expected: 3);

        Assert.Equal(["a.jsonl:1 {\"n\":1}", "a.jsonl:2 {\"n\":2}", "a.jsonl:1 {\"n\":1}"], seen);
    }

    [Fact]
    public async Task ReadAllAsync_JsonlAppended_ReadOnFromTheByteOffset()
    {
        var seen = await WatchAsync(
            "{\"n\":1}\n\n{\"n\":2}\n",
            file => File.AppendAllText(file, "{\"n\":3}\n"),
            expected: 3);

        Assert.Equal(["a.jsonl:1 {\"n\":1}", "a.jsonl:3 {\"n\":2}", "a.jsonl:4 {\"n\":3}"], seen);
    }

    [Fact]
    public async Task ReadAllAsync_OnceWithAnUnreadableFile_ReadsTheRestAndNamesIt()
    {
        File.WriteAllText(Path.Combine(_directory, "a.json"), "{}");
        File.CreateSymbolicLink(Path.Combine(_directory, "b.json"), Path.Combine(_directory, "gone.json")); // listed, cannot be opened
        File.WriteAllText(Path.Combine(_directory, "c.json"), "{}");
        var unread = new UnreadInputs();

        var names = await DrainRejectingAsync(unread);

        Assert.Equal(["a.json", "c.json"], names);
        Assert.StartsWith("b.json: unreadable: ", Assert.Single(unread.Lines()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAllAsync_OnceAllReadSomeRejected_NothingUnread()
    {
        File.WriteAllText(Path.Combine(_directory, "a.jsonl"), "{}\nnot json\n");
        var unread = new UnreadInputs();

        Assert.Equal(["a.jsonl:1", "a.jsonl:2"], await DrainRejectingAsync(unread));
        Assert.Empty(unread.Lines());
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>Reads the directory once, completing every input as rejected (read, but refused).</summary>
    private async Task<List<string>> DrainRejectingAsync(UnreadInputs unread)
    {
        var source = new LocalDirectoryEventSource(
            Options.Create(new IntakeOptions { Local = new LocalIntakeOptions { Path = _directory } }), new RunSettings(Once: true), _time, NullLogger<LocalDirectoryEventSource>.Instance, unread: unread);
        var names = new List<string>();
        await foreach (var incoming in source.ReadAllAsync(CancellationToken.None))
        {
            names.Add(incoming.Name);
            await source.CompleteAsync(incoming, EventOutcome.Rejected, CancellationToken.None);
        }

        return names;
    }

    /// <summary>Watches a directory holding <c>a.jsonl</c> with <paramref name="initial"/>; once those lines are read,
    /// <paramref name="change"/> changes the file and the next looks read what they read, until
    /// <paramref name="expected"/> events in all (and a few looks more, to catch any extra).</summary>
    private async Task<List<string>> WatchAsync(string initial, Action<string> change, int expected)
    {
        var file = Path.Combine(_directory, "a.jsonl");
        File.WriteAllText(file, initial);
        var source = CreateSut(_directory, once: false);
        using var cts = new CancellationTokenSource();
        var seen = new List<string>();
        var reading = Task.Run(async () =>
        {
            await foreach (var incoming in source.ReadAllAsync(cts.Token))
            {
                lock (seen)
                {
                    seen.Add($"{incoming.Name} {System.Text.Encoding.UTF8.GetString(incoming.Body.Span)}");
                }

                await source.CompleteAsync(incoming, EventOutcome.Handled, CancellationToken.None);
            }
        });

        var first = initial.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        await WaitUntil(() => Count(seen) == first);
        change(file);
        await WaitUntil(() => { _time.Advance(TimeSpan.FromSeconds(2)); return Count(seen) >= expected; });
        for (var i = 0; i < 3; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(2));
            await Task.Run(() => { });
        }

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading);
        lock (seen)
        {
            return [.. seen];
        }
    }

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
