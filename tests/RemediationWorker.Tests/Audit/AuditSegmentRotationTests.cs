using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RemediationWorker.Audit;

namespace RemediationWorker.Tests.Audit;

/// <summary>Rotation and digests as the sink writes them (docs/audit-log.md, "Segments and digests").</summary>
public sealed class AuditSegmentRotationTests : IDisposable
{
    private readonly AuditTestDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(AuditTestData.Start);

    public void Dispose() => _dir.Dispose();

    private string Open => _dir.File("audit.jsonl");

    private string Digests => _dir.File("digests");

    [Fact]
    public async Task Interval_SegmentHoldsRecords_ClosesItDigestsItAndTheChainContinues()
    {
        await using (var sink = OpenSink())
        {
            await WriteAsync(sink, 3);
            _time.Advance(TimeSpan.FromMinutes(5));
            await WriteAsync(sink, 2);
        }

        Assert.Equal(3, AuditTestData.ReadLines(_dir.File("audit.000000000001.jsonl")).Length);
        var open = AuditTestData.ReadLines(Open);
        Assert.Equal(2, open.Length);
        Assert.Contains("\"seq\":4,", open[0], StringComparison.Ordinal);
        var digests = Directory.GetFiles(Digests).Order(StringComparer.Ordinal).Select(p => Read(p)).ToList();
        Assert.Equal([(1L, 3L), (4L, 5L)], digests.Select(d => (d.FirstSeq, d.LastSeq)));
        Assert.Equal("audit.000000000004.jsonl", digests[1].Segment);
        Assert.Equal(AuditDigest.GenesisHash, digests[0].PreviousDigestHash);
        Assert.Equal(AuditDigest.HashOf(File.ReadAllBytes(Path.Combine(Digests, "audit.000000000003.digest.json"))), digests[1].PreviousDigestHash);
        Assert.Equal("worker-1", digests[0].WorkerId);
    }

    [Fact]
    public async Task Interval_SegmentEmpty_NothingIsClosed()
    {
        await using (var sink = OpenSink())
        {
            await WriteAsync(sink, 1);
            _time.Advance(TimeSpan.FromMinutes(5));
            _time.Advance(TimeSpan.FromMinutes(5));
        }

        Assert.Single(Directory.GetFiles(_dir.Path, "audit.0*.jsonl"));
        Assert.Single(Directory.GetFiles(Digests));
    }

    [Fact]
    public async Task MaxSegmentBytes_Reached_ClosesTheSegmentAtOnce()
    {
        await using (var sink = OpenSink(maxSegmentBytes: 4096))
        {
            await WriteAsync(sink, 20);
        }

        var segments = Directory.GetFiles(_dir.Path, "audit.0*.jsonl");
        Assert.True(segments.Length >= 2, $"{segments.Length} segments");
        Assert.All(segments, s => Assert.InRange(new FileInfo(s).Length, 4096, 4096 + 1024));
    }

    [Fact]
    public async Task Reopen_ContinuesTheDigestChain()
    {
        await using (var sink = OpenSink())
        {
            await WriteAsync(sink, 2);
        }

        await using (var sink = OpenSink())
        {
            await WriteAsync(sink, 2);
        }

        var second = Read(Path.Combine(Digests, "audit.000000000004.digest.json"));
        Assert.Equal((1L, 4L), (second.FirstSeq, second.LastSeq));
        Assert.Equal(AuditDigest.HashOf(File.ReadAllBytes(Path.Combine(Digests, "audit.000000000002.digest.json"))), second.PreviousDigestHash);
    }

    [Fact]
    public async Task Open_DigestAnchorsRecordsTheFileLacks_RefusesNamingTheFile()
    {
        await using (var sink = OpenSink())
        {
            await WriteAsync(sink, 3);
        }

        AuditTestData.WriteLines(Open, AuditTestData.ReadLines(Open)[..1]);

        var refused = Assert.Throws<InvalidDataException>(() => OpenSink());
        Assert.Contains(Open, refused.Message, StringComparison.Ordinal);
        Assert.Contains("records were removed", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shutdown_WithArchive_ClosesShipsSegmentAndDigest()
    {
        var archive = new RecordingArchive();
        await using (var sink = OpenSink(archive: archive))
        {
            await WriteAsync(sink, 2);
        }

        Assert.Equal(["audit.000000000001.jsonl", "digests/audit.000000000002.digest.json"], archive.Names);
        Assert.False(File.Exists(Open) && new FileInfo(Open).Length > 0);
    }

    [Fact]
    public async Task Ship_ArchiveFailsOnce_TriesAgainAfterAWaitAndShipsInOrder()
    {
        var archive = new RecordingArchive { FailuresLeft = 1 };
        var sink = OpenSink(archive: archive);
        await WriteAsync(sink, 2);
        await sink.RotateAsync(onlyWhenDue: false, CancellationToken.None);
        await archive.FirstAttempt.Task.WaitAsync(TimeSpan.FromSeconds(30));

        while (archive.Names.Count < 2)
        {
            _time.Advance(TimeSpan.FromSeconds(1)); // the retry waits on the sink's clock (Polly's ExecuteAndAdvance)
            await Task.Yield();
        }

        await sink.DisposeAsync();
        Assert.Equal(["audit.000000000001.jsonl", "digests/audit.000000000002.digest.json"], archive.Names);
    }

    [Fact]
    public async Task Query_FolderOfSegments_ReadsThemAsOneTimeline()
    {
        await using (var sink = OpenSink())
        {
            await WriteAsync(sink, 2);
            await sink.RotateAsync(onlyWhenDue: false, CancellationToken.None);
            await WriteAsync(sink, 2);
        }

        using var output = new StringWriter();
        var root = new System.CommandLine.RootCommand("test");
        root.Subcommands.Add(RemediationWorker.Commands.AuditCommand.Create());
        var exitCode = root.Parse(["audit", "query", _dir.Path, "--format", "json"]).Invoke(new System.CommandLine.InvocationConfiguration { Output = output, Error = TextWriter.Null });

        Assert.Equal(0, exitCode);
        var seqs = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => (long)System.Text.Json.Nodes.JsonNode.Parse(l)!["seq"]!);
        Assert.Equal([1L, 2L, 3L, 4L], seqs);
    }

    private JsonLinesAuditSink OpenSink(long maxSegmentBytes = 64L * 1024 * 1024, IAuditArchive? archive = null) => new(
        Options.Create(new AuditOptions { Path = Open, FlushToDisk = false, LogToStdout = false, Digests = new AuditDigestOptions { MaxSegmentBytes = maxSegmentBytes } }),
        NullLogger<JsonLinesAuditSink>.Instance,
        _time,
        "worker-1",
        archive);

    private async Task WriteAsync(JsonLinesAuditSink sink, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await sink.WriteAsync(AuditTestData.Record(_time.GetUtcNow(), reason: new string('r', 300)), CancellationToken.None);
        }

        await sink.FlushAsync(CancellationToken.None);
    }

    private static AuditDigest Read(string path)
    {
        Assert.True(AuditDigest.TryParse(File.ReadAllBytes(path), out var digest, out var problem), problem);
        return digest!;
    }

    private sealed class RecordingArchive : IAuditArchive
    {
        public List<string> Names { get; } = [];

        public int FailuresLeft { get; set; }

        public TaskCompletionSource FirstAttempt { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task PutAsync(string name, string path, CancellationToken cancellationToken)
        {
            Assert.True(File.Exists(path), path);
            FirstAttempt.TrySetResult();
            if (FailuresLeft > 0)
            {
                FailuresLeft--;
                throw new IOException("503 Slow Down");
            }

            lock (Names)
            {
                Names.Add(name);
            }

            return Task.CompletedTask;
        }
    }
}
