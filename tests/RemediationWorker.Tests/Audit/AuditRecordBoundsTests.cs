using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RemediationWorker.Audit;
using RemediationWorker.Diagnostics;

namespace RemediationWorker.Tests.Audit;

public sealed class AuditRecordBoundsTests : IDisposable
{
    private readonly AuditTestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Apply_ShortRecord_TheSameRecord()
    {
        var record = Record(eventId: "evt-1");

        Assert.Same(record, AuditRecordBounds.Apply(record));
    }

    [Fact]
    public async Task WriteAsync_LongFields_CutStillStringsWithLengthAndHashAndTheLineWithin16KiB()
    {
        var path = _dir.File("audit.jsonl");
        var id = new string('x', 100_000);
        var resource = string.Concat(Enumerable.Repeat("\u0001\u00e9\"", 20_000)); // every character escaped or multi-byte
        await using (var sink = AuditTestData.OpenSink(path))
        {
            await sink.WriteAsync(
                Record(id) with { Resource = resource, Parameters = new Dictionary<string, string> { ["StackName"] = resource, ["Short"] = "kept" } },
                CancellationToken.None);
        }

        var line = File.ReadAllLines(path).Single();
        Assert.InRange(Encoding.UTF8.GetByteCount(line), 1, TextBounds.MaxLineBytes);
        var root = JsonDocument.Parse(line).RootElement;
        Assert.StartsWith(root.GetProperty("eventId").GetString()!, id, StringComparison.Ordinal);
        Assert.InRange(root.GetProperty("eventId").GetString()!.Length, 1, 1024);
        Assert.Equal("kept", root.GetProperty("parameters").GetProperty("Short").GetString());
        var truncated = root.GetProperty("truncated");
        Assert.Equal(100_000, truncated.GetProperty("eventId").GetProperty("length").GetInt32());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id))), truncated.GetProperty("eventId").GetProperty("sha256").GetString());
        Assert.Equal(60_000, truncated.GetProperty("resource").GetProperty("length").GetInt32());
        Assert.Equal(60_000, truncated.GetProperty("parameters.StackName").GetProperty("length").GetInt32());
        Assert.False(truncated.TryGetProperty("parameters.Short", out _));
        await using var stream = File.OpenRead(path);
        Assert.True((await AuditChainVerifier.VerifyAsync(stream, CancellationToken.None)).IsIntact);
    }

    [Fact]
    public void Apply_EveryMemberTooLong_CutsTheOutsideTextInLineOrderAndNeverTheWorkersOwn()
    {
        var text = new string('x', 2_000);
        var record = new AuditRecord
        {
            Time = AuditTestData.Start,
            WorkerId = text,
            Decision = AuditDecision.Failed,
            ConfigHash = text,
            EventId = text,
            Source = text,
            DetailType = text,
            Account = text,
            Region = text,
            Input = text,
            Resource = text,
            Playbook = text,
            Reason = text,
            Guard = text,
            Mode = text,
            DocumentName = text,
            DocumentVersion = text,
            ExecutionId = text,
            Status = text,
            ClientToken = text,
            CausedBy = text,
        };

        var cut = AuditRecordBounds.Apply(record);

        Assert.Equal(
            ["eventId", "source", "detailType", "account", "region", "input", "resource", "playbook", "reason", "guard", "mode", "documentName", "documentVersion", "executionId", "status"],
            cut.Truncated!.Keys);
        Assert.All([cut.EventId, cut.Source, cut.Reason, cut.Status], value => Assert.InRange(value!.Length, 1, TextBounds.MaxChars - 1));
        Assert.All([cut.WorkerId, cut.ConfigHash, cut.ClientToken, cut.CausedBy], value => Assert.Same(text, value));
        Assert.Same(text, record.EventId); // the record given is left as it was
    }

    [Fact]
    public void Cut_NeverSplitsASurrogatePair()
    {
        var text = "a" + string.Concat(Enumerable.Repeat("\U0001F600", 1000));

        var cut = TextBounds.Cut(text, int.MaxValue);

        Assert.Equal(1023, cut.Length); // 1024 would end on a high surrogate
        Assert.False(char.IsHighSurrogate(cut[^1]));
    }

    [Fact]
    public void Log_LongValues_CutInTheMessageAndThePropertiesAlike()
    {
        var entries = new List<(string Message, IReadOnlyList<KeyValuePair<string, object?>> State)>();
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerProvider>(new ListLoggerProvider(entries));
        services.AddBoundedLogLines();
        services.AddLogging();
        using var provider = services.BuildServiceProvider();
        var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger("test");
        var id = new string('\u00e9', 50_000);

#pragma warning disable CA1848, CA1873, CA2254 // the entry itself is the test's subject
        logger.LogInformation("no-match {SourceEventId} from {Source}", id, "aws.cloudformation");
#pragma warning restore CA1848, CA1873, CA2254

        var (message, state) = Assert.Single(entries);
        var cut = Assert.IsType<string>(state.Single(p => p.Key == "SourceEventId").Value);
        Assert.InRange(cut.Length, 1, 1024);
        Assert.Equal($"no-match {cut} from aws.cloudformation", message);
        Assert.Equal("aws.cloudformation", state.Single(p => p.Key == "Source").Value);
    }

    private static AuditRecord Record(string eventId) => new()
    {
        Time = AuditTestData.Start,
        WorkerId = "worker-1",
        Decision = AuditDecision.Planned,
        ConfigHash = "c0ffee12",
        EventId = eventId,
    };

    private sealed class ListLoggerProvider(List<(string, IReadOnlyList<KeyValuePair<string, object?>>)> entries) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new ListLogger(entries);

        public void Dispose()
        {
        }
    }

    private sealed class ListLogger(List<(string, IReadOnlyList<KeyValuePair<string, object?>>)> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => entries.Add((formatter(state, exception), (IReadOnlyList<KeyValuePair<string, object?>>)state!));
    }
}
