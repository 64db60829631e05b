using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using RemediationWorker.Audit;

namespace RemediationWorker.Tests.Audit;

public sealed class JsonLinesAuditSinkTests : IDisposable
{
    private const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    private readonly AuditTestDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(AuditTestData.Start);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task WriteAsync_FirstRecord_WritesDocumentedLineWithGenesisPrevHash()
    {
        var path = _dir.File("audit.jsonl");
        _time.Advance(TimeSpan.FromTicks(1_234_567)); // 123.4567 ms: stored as .123

        await using (var sink = AuditTestData.OpenSink(path))
        {
            await sink.WriteAsync(
                new AuditRecord
                {
                    Time = _time.GetUtcNow(),
                    WorkerId = "worker-1",
                    Decision = AuditDecision.NoMatch,
                    ConfigHash = "c0ffee12",
                    EventId = "evt-1",
                },
                CancellationToken.None);
        }

        var body = "{\"seq\":1,\"time\":\"2025-06-01T12:00:00.123Z\",\"workerId\":\"worker-1\",\"decision\":\"no-match\","
            + "\"eventId\":\"evt-1\",\"configHash\":\"c0ffee12\",\"prevHash\":\"" + Genesis + "\"";
        var hash = Sha256Hex(body + "}");
        Assert.Equal(body + ",\"hash\":\"" + hash + "\"}\n", await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task FlushAsync_DiskFull_ThrowsKeepsTheRecordPendingAndRefusesNewOnesUntilAFlushSucceeds()
    {
        var path = _dir.File("audit.jsonl");
        File.CreateSymbolicLink(path, "/dev/full"); // every write: ENOSPC, as on a full file system

        await using var sink = AuditTestData.OpenSink(path);
        await sink.WriteAsync(AuditTestData.Record(_time.GetUtcNow()), CancellationToken.None);

        await Assert.ThrowsAsync<IOException>(() => sink.FlushAsync(CancellationToken.None).AsTask());
        await Assert.ThrowsAsync<IOException>(() => sink.WriteAsync(AuditTestData.Record(_time.GetUtcNow()), CancellationToken.None).AsTask());
        await Assert.ThrowsAsync<IOException>(() => sink.FlushAsync(CancellationToken.None).AsTask()); // tried again, still full
    }

    [Fact]
    public async Task WriteAsync_AllFields_WritesMembersInDocumentedOrder()
    {
        var path = _dir.File("audit.jsonl");

        await using (var sink = AuditTestData.OpenSink(path))
        {
            await sink.WriteAsync(FullRecord(_time.GetUtcNow()), CancellationToken.None);
        }

        using var document = JsonDocument.Parse(AuditTestData.ReadLines(path)[0]);
        string[] expected =
        [
            "seq", "time", "workerId", "decision", "eventId", "source", "detailType", "account", "region", "resource",
            "playbook", "configHash", "reason", "guard", "mode", "documentName", "documentVersion", "parameters",
            "executionId", "status", "durationMs", "prevHash", "hash",
        ];
        Assert.Equal(expected, document.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("timed-out", document.RootElement.GetProperty("decision").GetString());
        Assert.Equal(90_500, document.RootElement.GetProperty("durationMs").GetInt64());
        Assert.Equal("orders-api", document.RootElement.GetProperty("parameters").GetProperty("StackName").GetString());
        Assert.True((await VerifyAsync(path)).IsIntact);
    }

    [Fact]
    public async Task WriteAsync_TimeWithOffset_IsStoredInUtcWithMilliseconds()
    {
        var path = _dir.File("audit.jsonl");

        await using (var sink = AuditTestData.OpenSink(path))
        {
            var local = new DateTimeOffset(2025, 6, 1, 14, 0, 0, 7, TimeSpan.FromHours(2));
            await sink.WriteAsync(AuditTestData.Record(local), CancellationToken.None);
        }

        Assert.Contains("\"time\":\"2025-06-01T12:00:00.007Z\"", AuditTestData.ReadLines(path)[0]);
    }

    [Fact]
    public async Task WriteAsync_SeveralRecords_EachHashCoversLineWithoutHashAndLinksToPrevious()
    {
        var lines = await AuditTestData.WriteChainAsync(_dir.File("audit.jsonl"), 3, _time);

        var previous = Genesis;
        for (var i = 0; i < lines.Length; i++)
        {
            using var document = JsonDocument.Parse(lines[i]);
            var hash = document.RootElement.GetProperty("hash").GetString()!;
            var withoutHash = lines[i][..lines[i].LastIndexOf(",\"hash\":", StringComparison.Ordinal)] + "}";
            Assert.Equal(i + 1, document.RootElement.GetProperty("seq").GetInt64());
            Assert.Equal(previous, document.RootElement.GetProperty("prevHash").GetString());
            Assert.Equal(Sha256Hex(withoutHash), hash);
            previous = hash;
        }
    }

    [Fact]
    public async Task Open_ExistingChain_ContinuesSeqAndPrevHash()
    {
        var path = _dir.File("audit.jsonl");
        var first = await AuditTestData.WriteChainAsync(path, 2, _time);

        await using (var sink = AuditTestData.OpenSink(path))
        {
            await sink.WriteAsync(AuditTestData.Record(_time.GetUtcNow()), CancellationToken.None);
        }

        var lines = AuditTestData.ReadLines(path);
        Assert.Equal(3, lines.Length);
        Assert.Equal(first, lines[..2]);
        using var last = JsonDocument.Parse(lines[2]);
        using var previous = JsonDocument.Parse(lines[1]);
        Assert.Equal(3, last.RootElement.GetProperty("seq").GetInt64());
        Assert.Equal(previous.RootElement.GetProperty("hash").GetString(), last.RootElement.GetProperty("prevHash").GetString());
        Assert.True((await VerifyAsync(path)).IsIntact);
    }

    [Fact]
    public async Task Open_EmptyFile_StartsChainAtGenesis()
    {
        var path = _dir.File("audit.jsonl");
        await File.WriteAllBytesAsync(path, []);

        await using (var sink = AuditTestData.OpenSink(path))
        {
            await sink.WriteAsync(AuditTestData.Record(_time.GetUtcNow()), CancellationToken.None);
        }

        var result = await VerifyAsync(path);
        Assert.Equal((1L, true), (result.RecordCount, result.IsIntact));
    }

    [Fact]
    public async Task Open_MissingDirectory_CreatesIt()
    {
        var path = Path.Combine(_dir.Path, "nested", "audit", "audit.jsonl");

        await using (var sink = AuditTestData.OpenSink(path))
        {
            await sink.WriteAsync(AuditTestData.Record(_time.GetUtcNow()), CancellationToken.None);
        }

        Assert.Single(AuditTestData.ReadLines(path));
    }

    [Fact]
    public async Task Open_TornLastLine_RefusesToAppendNamingFileAndLeavesFileUnchanged()
    {
        var path = _dir.File("audit.jsonl");
        var lines = await AuditTestData.WriteChainAsync(path, 3, _time);
        var torn = string.Concat(lines[..2].Select(l => l + "\n")) + lines[2][..40];
        await File.WriteAllTextAsync(path, torn);

        var ex = Assert.Throws<InvalidDataException>(() => AuditTestData.OpenSink(path));

        Assert.Contains(path, ex.Message);
        Assert.Contains("incomplete line", ex.Message);
        Assert.Equal(torn, await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task Open_EditedLastLine_RefusesToAppend()
    {
        var path = _dir.File("audit.jsonl");
        var lines = await AuditTestData.WriteChainAsync(path, 2, _time);
        lines[1] = lines[1].Replace("\"decision\":\"matched\"", "\"decision\":\"skipped\"", StringComparison.Ordinal);
        AuditTestData.WriteLines(path, lines);

        var ex = Assert.Throws<InvalidDataException>(() => AuditTestData.OpenSink(path));

        Assert.Contains("edited", ex.Message);
    }

    [Fact]
    public async Task Open_LastLineNotARecord_RefusesToAppend()
    {
        var path = _dir.File("audit.jsonl");
        var lines = await AuditTestData.WriteChainAsync(path, 1, _time);
        AuditTestData.WriteLines(path, [.. lines, "{\"hello\":1}"]);

        var ex = Assert.Throws<InvalidDataException>(() => AuditTestData.OpenSink(path));

        Assert.Contains("not a valid audit record", ex.Message);
    }

    [Fact]
    public async Task Open_SecondSinkOnSameFile_ThrowsWhileFirstIsOpen()
    {
        var path = _dir.File("audit.jsonl");
        await using var first = AuditTestData.OpenSink(path);

        var ex = Assert.Throws<IOException>(() => AuditTestData.OpenSink(path));

        Assert.Contains("writer lock", ex.Message);
    }

    [Fact]
    public async Task Open_AfterFirstSinkDisposed_Succeeds()
    {
        var path = _dir.File("audit.jsonl");
        await AuditTestData.OpenSink(path).DisposeAsync();

        await using var second = AuditTestData.OpenSink(path);

        Assert.Equal(path, second.FilePath);
    }

    [Fact]
    public async Task WriteAsync_ConcurrentWriters_ProduceOneValidChain()
    {
        var path = _dir.File("audit.jsonl");
        const int Writers = 8;
        const int PerWriter = 250;

        await using (var sink = AuditTestData.OpenSink(path, flushToDisk: true))
        {
            var tasks = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
            {
                for (var i = 0; i < PerWriter; i++)
                {
                    await sink.WriteAsync(AuditTestData.Record(AuditTestData.Start.AddSeconds(i), eventId: $"evt-{w}-{i}"), CancellationToken.None);
                    if (i % 10 == 0)
                    {
                        await sink.FlushAsync(CancellationToken.None);
                    }
                }
            }));
            await Task.WhenAll(tasks);
        }

        var result = await VerifyAsync(path);
        Assert.True(result.IsIntact, result.Problem);
        Assert.Equal(Writers * PerWriter, result.RecordCount);
        Assert.Equal(Writers * PerWriter, AuditTestData.ReadLines(path).Distinct().Count());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task FlushAsync_AfterWrites_RecordsAreInFileBeforeDispose(bool flushToDisk)
    {
        var path = _dir.File("audit.jsonl");
        await using var sink = AuditTestData.OpenSink(path, flushToDisk);
        await sink.WriteAsync(AuditTestData.Record(_time.GetUtcNow()), CancellationToken.None);
        await sink.WriteAsync(AuditTestData.Record(_time.GetUtcNow()), CancellationToken.None);

        await sink.FlushAsync(CancellationToken.None);

        await using var reader = AuditFiles.OpenRead(path);
        var result = await AuditChainVerifier.VerifyAsync(reader, CancellationToken.None);
        Assert.Equal((2L, true), (result.RecordCount, result.IsIntact));
    }

    [Fact]
    public async Task DisposeAsync_PendingRecords_AreWritten()
    {
        var path = _dir.File("audit.jsonl");
        var sink = AuditTestData.OpenSink(path, flushToDisk: true);
        await sink.WriteAsync(AuditTestData.Record(_time.GetUtcNow()), CancellationToken.None);

        await sink.DisposeAsync();

        Assert.Single(AuditTestData.ReadLines(path));
    }

    [Fact]
    public async Task WriteAsync_AfterDispose_ThrowsObjectDisposed()
    {
        var sink = AuditTestData.OpenSink(_dir.File("audit.jsonl"));
        sink.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(
            () => sink.WriteAsync(AuditTestData.Record(_time.GetUtcNow()), CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task WriteAsync_CancelledBeforeWriting_WritesNothing()
    {
        var path = _dir.File("audit.jsonl");
        await using (var sink = AuditTestData.OpenSink(path))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(
                () => sink.WriteAsync(AuditTestData.Record(_time.GetUtcNow()), new CancellationToken(canceled: true)).AsTask());
        }

        Assert.Equal(0, new FileInfo(path).Length);
    }

    [Fact]
    public async Task WriteAsync_RecordThatCannotBeEncoded_ThrowsAndChainStaysIntact()
    {
        var path = _dir.File("audit.jsonl");
        await using (var sink = AuditTestData.OpenSink(path))
        {
            await sink.WriteAsync(AuditTestData.Record(_time.GetUtcNow()), CancellationToken.None);
            var unknownDecision = AuditTestData.Record(_time.GetUtcNow(), decision: (AuditDecision)99);

            await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => sink.WriteAsync(unknownDecision, CancellationToken.None).AsTask());
            await sink.WriteAsync(AuditTestData.Record(_time.GetUtcNow()), CancellationToken.None);
        }

        var result = await VerifyAsync(path);
        Assert.Equal((2L, true), (result.RecordCount, result.IsIntact));
    }

    [Fact]
    public async Task WriteAsync_NonAsciiText_IsStoredReadableAndVerifies()
    {
        var path = _dir.File("audit.jsonl");
        await using (var sink = AuditTestData.OpenSink(path))
        {
            await sink.WriteAsync(AuditTestData.Record(_time.GetUtcNow(), reason: "Überprüfung \"quoted\" <tag> & 🚀 \ud800"), CancellationToken.None);
        }

        var line = AuditTestData.ReadLines(path)[0];
        // Quotes are escaped; other BMP text stays readable; astral characters and lone surrogates are escaped.
        Assert.Contains("\"reason\":\"Überprüfung \\\"quoted\\\" <tag> & \\uD83D\\uDE80 \\uFFFD\"", line);
        Assert.True((await VerifyAsync(path)).IsIntact);
    }

    [Fact]
    public async Task WriteAsync_LogToStdout_LogsEvent4001WithStructuredFieldsAndHash()
    {
        var path = _dir.File("audit.jsonl");
        var logger = new CapturingLogger<JsonLinesAuditSink>();
        await using (var sink = AuditTestData.OpenSink(path, logToStdout: true, logger: logger))
        {
            await sink.WriteAsync(FullRecord(_time.GetUtcNow()), CancellationToken.None);
        }

        var entry = Assert.Single(logger.Entries, e => e.EventId.Id == 4001);
        Assert.Equal("AuditRecordWritten", entry.EventId.Name);
        Assert.Equal(LogLevel.Information, entry.Level);
        Assert.Equal("timed-out", entry.Properties["Decision"]);
        Assert.Equal(1L, entry.Properties["Seq"]);
        Assert.Equal("evt-full", entry.Properties["SourceEventId"]);
        Assert.Equal("stack-rollback-failed", entry.Properties["PlaybookName"]);
        Assert.Equal(AuditTestData.StackArn, entry.Properties["Resource"]);
        Assert.Equal(AuditTestData.ExecutionId, entry.Properties["AutomationExecutionId"]);
        Assert.Equal("{\"StackName\":\"orders-api\"}", entry.Properties["Parameters"]);
        Assert.Equal(90_500L, entry.Properties["DurationMs"]);
        using var stored = JsonDocument.Parse(AuditTestData.ReadLines(path)[0]);
        Assert.Equal(stored.RootElement.GetProperty("hash").GetString(), entry.Properties["Hash"]);
    }

    [Fact]
    public async Task WriteAsync_LogToStdoutOff_LogsNoRecords()
    {
        var logger = new CapturingLogger<JsonLinesAuditSink>();
        await using (var sink = AuditTestData.OpenSink(_dir.File("audit.jsonl"), logToStdout: false, logger: logger))
        {
            await sink.WriteAsync(AuditTestData.Record(_time.GetUtcNow()), CancellationToken.None);
        }

        Assert.DoesNotContain(logger.Entries, e => e.EventId.Id == 4001);
        Assert.Contains(logger.Entries, e => e.EventId.Id == 4002);
    }

    [Fact]
    public async Task Open_PathWithMachineNameToken_WritesPerMachineFile()
    {
        var sink = AuditTestData.OpenSink(Path.Combine(_dir.Path, "audit-{MachineName}.jsonl"));
        await sink.DisposeAsync();

        Assert.Equal(Path.Combine(_dir.Path, $"audit-{Environment.MachineName}.jsonl"), sink.FilePath);
        Assert.True(File.Exists(sink.FilePath));
    }

    private static AuditRecord FullRecord(DateTimeOffset time) =>
        AuditTestData.Record(time, AuditDecision.TimedOut, eventId: "evt-full", reason: "deadline of 90 s passed") with
        {
            Guard = "deadline",
            Mode = "live",
            DocumentName = "Remediation-ContinueUpdateRollback",
            DocumentVersion = "3",
            Parameters = new Dictionary<string, string> { ["StackName"] = "orders-api" },
            ExecutionId = AuditTestData.ExecutionId,
            Status = "TimedOut",
            Duration = TimeSpan.FromMilliseconds(90_500.9),
        };

    private static string Sha256Hex(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static async Task<AuditVerifyResult> VerifyAsync(string path)
    {
        await using var stream = AuditFiles.OpenRead(path);
        return await AuditChainVerifier.VerifyAsync(stream, CancellationToken.None);
    }
}
