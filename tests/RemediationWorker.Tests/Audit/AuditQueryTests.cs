using Microsoft.Extensions.Time.Testing;
using RemediationWorker.Audit;

namespace RemediationWorker.Tests.Audit;

public sealed class AuditQueryTests : IDisposable
{
    private readonly AuditTestDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(AuditTestData.Start);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task RunAsync_ResourceFilter_SelectsOnlyThatResource()
    {
        var path = await WriteSampleAsync();

        var lines = await QueryJsonAsync([path], new AuditQueryFilter { Resource = AuditTestData.BuildArn });

        Assert.Equal(["evt-build-1", "evt-build-2"], lines.Select(EventIdOf));
    }

    [Fact]
    public async Task RunAsync_PlaybookFilter_SelectsOnlyThatPlaybook()
    {
        var path = await WriteSampleAsync();

        var lines = await QueryJsonAsync([path], new AuditQueryFilter { Playbook = "stack-rollback-failed" });

        Assert.Equal(["evt-stack-1", "evt-stack-1", "evt-stack-2"], lines.Select(EventIdOf));
    }

    [Fact]
    public async Task RunAsync_EventIdFilter_SelectsEveryDecisionAboutThatEvent()
    {
        var path = await WriteSampleAsync();

        var lines = await QueryJsonAsync([path], new AuditQueryFilter { EventId = "evt-stack-1" });

        Assert.Equal(2, lines.Length);
        Assert.Contains("\"decision\":\"matched\"", lines[0]);
        Assert.Contains("\"decision\":\"started\"", lines[1]);
    }

    [Fact]
    public async Task RunAsync_DecisionFilter_SelectsAnyOfTheGivenDecisions()
    {
        var path = await WriteSampleAsync();
        Assert.True(AuditQueryFilter.TryCreate(null, null, null, ["started", "skipped,no-match"], null, null, out var filter, out _));

        var lines = await QueryJsonAsync([path], filter);

        Assert.Equal(["evt-stack-1", "evt-build-2", "evt-other"], lines.Select(EventIdOf));
    }

    [Fact]
    public async Task RunAsync_TimeRange_SinceIsInclusiveAndUntilExclusive()
    {
        var path = await WriteSampleAsync(); // records at +0 s, +1 s, ..., +5 s
        var filter = new AuditQueryFilter { Since = AuditTestData.Start.AddSeconds(1), Until = AuditTestData.Start.AddSeconds(3) };

        var lines = await QueryJsonAsync([path], filter);

        Assert.Equal(2, lines.Length);
        Assert.Contains("\"time\":\"2025-06-01T12:00:01.000Z\"", lines[0]);
        Assert.Contains("\"time\":\"2025-06-01T12:00:02.000Z\"", lines[1]);
    }

    [Fact]
    public async Task RunAsync_SeveralFiles_MergesByTimeKeepingFileOrderForTies()
    {
        var a = _dir.File("replica-a.jsonl");
        var b = _dir.File("replica-b.jsonl");
        await WriteAsync(a, (0, "a1"), (2, "a2"), (2, "a3"), (5, "a4"));
        await WriteAsync(b, (1, "b1"), (2, "b2"), (3, "b3"));

        var lines = await QueryJsonAsync([a, b], AuditQueryFilter.All);

        Assert.Equal(["a1", "b1", "a2", "a3", "b2", "b3", "a4"], lines.Select(EventIdOf));
    }

    [Fact]
    public async Task RunAsync_FileOutOfTimeOrder_KeepsThatFilesOwnOrder()
    {
        var a = _dir.File("replica-a.jsonl");
        var b = _dir.File("replica-b.jsonl");
        await WriteAsync(a, (3, "a1"), (1, "a2"));
        await WriteAsync(b, (2, "b1"));

        var lines = await QueryJsonAsync([a, b], AuditQueryFilter.All);

        Assert.Equal(["b1", "a1", "a2"], lines.Select(EventIdOf));
    }

    [Fact]
    public async Task RunAsync_JsonFormat_PrintsStoredLinesUnchanged()
    {
        var path = await WriteSampleAsync();
        var stored = AuditTestData.ReadLines(path);

        var lines = await QueryJsonAsync([path], AuditQueryFilter.All);

        Assert.Equal(stored, lines);
    }

    [Fact]
    public async Task RunAsync_TableFormat_PrintsAlignedColumnsAndCount()
    {
        var path = _dir.File("audit.jsonl");
        await using (var sink = AuditTestData.OpenSink(path))
        {
            await sink.WriteAsync(AuditTestData.Record(_time.GetUtcNow(), AuditDecision.Skipped, reason: "cooldown: last attempt 4 min ago", eventId: "evt-1"), CancellationToken.None);
            await sink.WriteAsync(
                AuditTestData.Record(_time.GetUtcNow(), AuditDecision.Succeeded, eventId: "evt-22") with { ExecutionId = AuditTestData.ExecutionId, Status = "Success" },
                CancellationToken.None);
            await sink.WriteAsync(AuditTestData.Record(_time.GetUtcNow(), AuditDecision.NoMatch, resource: null, playbook: null, eventId: "evt-333"), CancellationToken.None);
        }

        var output = new StringWriter();
        var exitCode = await AuditQuery.RunAsync([path], AuditQueryFilter.All, AuditQueryFormat.Table, output, new StringWriter(), CancellationToken.None);

        Assert.Equal(0, exitCode);
        var rows = output.ToString().TrimEnd('\n').Split('\n');
        Assert.Equal(5, rows.Length);
        Assert.Equal("3 records", rows[4]);
        foreach (var header in new[] { "DECISION", "PLAYBOOK", "RESOURCE", "EVENT ID", "REASON / STATUS", "EXECUTION ID" })
        {
            var column = rows[0].IndexOf(header[..4], StringComparison.Ordinal); // a header may be cut to fit 120 columns
            Assert.All(rows[1..4], row => Assert.Equal(' ', row[column - 1]));
            Assert.All(rows[1..4], row => Assert.NotEqual(' ', row[column]));
        }

        Assert.StartsWith("2025-06-01T12:00:00.000Z  skipped", rows[1]);
        Assert.Contains("cooldown: last attempt 4 min ago", rows[1]);
        Assert.Contains("Success", rows[2]);
        Assert.Contains(AuditTestData.ExecutionId[..6], rows[2]);
        Assert.Contains("no-match   -", rows[3]);
    }

    [Fact]
    public async Task RunAsync_NoMatchingRecords_PrintsHeaderAndZeroCount()
    {
        var path = await WriteSampleAsync();
        var output = new StringWriter();

        var exitCode = await AuditQuery.RunAsync(
            [path], new AuditQueryFilter { Resource = "nothing" }, AuditQueryFormat.Table, output, new StringWriter(), CancellationToken.None);

        Assert.Equal(0, exitCode);
        Assert.EndsWith("0 records\n", output.ToString());
    }

    [Fact]
    public async Task RunAsync_UnreadableLine_SkipsItWithWarningAndReturns1()
    {
        var path = await WriteSampleAsync();
        var stored = AuditTestData.ReadLines(path);
        await File.WriteAllTextAsync(path, string.Join('\n', stored[..2]) + "\nnot json\n" + string.Join('\n', stored[2..]) + "\n" + stored[0][..30]);
        var output = new StringWriter();
        var error = new StringWriter();

        var exitCode = await AuditQuery.RunAsync([path], AuditQueryFilter.All, AuditQueryFormat.Json, output, error, CancellationToken.None);

        Assert.Equal(1, exitCode);
        Assert.Equal(stored, output.ToString().TrimEnd('\n').Split('\n'));
        Assert.Contains($"{path}:3: skipped", error.ToString());
        Assert.Contains($"{path}:{stored.Length + 2}: skipped, incomplete line", error.ToString());
    }

    [Fact]
    public async Task RunAsync_MissingFile_Returns2AndPrintsNothing()
    {
        var path = await WriteSampleAsync();
        var output = new StringWriter();
        var error = new StringWriter();

        var exitCode = await AuditQuery.RunAsync(
            [path, _dir.File("missing.jsonl")], AuditQueryFilter.All, AuditQueryFormat.Json, output, error, CancellationToken.None);

        Assert.Equal(2, exitCode);
        Assert.Empty(output.ToString());
        Assert.Contains("missing.jsonl", error.ToString());
    }

    /// <summary>Six records one second apart, about two stacks, a build and an unmatched event.</summary>
    private async Task<string> WriteSampleAsync()
    {
        var path = _dir.File("audit.jsonl");
        await using var sink = AuditTestData.OpenSink(path);
        AuditRecord[] records =
        [
            AuditTestData.Record(_time.GetUtcNow(), AuditDecision.Matched, eventId: "evt-stack-1"),
            AuditTestData.Record(_time.GetUtcNow(), AuditDecision.Started, eventId: "evt-stack-1"),
            AuditTestData.Record(_time.GetUtcNow(), AuditDecision.Matched, AuditTestData.BuildArn, "build-retry", "evt-build-1"),
            AuditTestData.Record(_time.GetUtcNow(), AuditDecision.Skipped, AuditTestData.BuildArn, "build-retry", "evt-build-2", "compile failure"),
            AuditTestData.Record(_time.GetUtcNow(), AuditDecision.Matched, eventId: "evt-stack-2"),
            AuditTestData.Record(_time.GetUtcNow(), AuditDecision.NoMatch, resource: null, playbook: null, eventId: "evt-other"),
        ];
        foreach (var record in records)
        {
            await sink.WriteAsync(record with { Time = _time.GetUtcNow() }, CancellationToken.None);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        return path;
    }

    private static async Task WriteAsync(string path, params (int Seconds, string EventId)[] records)
    {
        await using var sink = AuditTestData.OpenSink(path);
        foreach (var (seconds, eventId) in records)
        {
            await sink.WriteAsync(AuditTestData.Record(AuditTestData.Start.AddSeconds(seconds), eventId: eventId), CancellationToken.None);
        }
    }

    private static async Task<string[]> QueryJsonAsync(string[] paths, AuditQueryFilter filter)
    {
        var output = new StringWriter();
        var exitCode = await AuditQuery.RunAsync(paths, filter, AuditQueryFormat.Json, output, new StringWriter(), CancellationToken.None);
        Assert.Equal(0, exitCode);
        var text = output.ToString();
        return text.Length == 0 ? [] : text.TrimEnd('\n').Split('\n');
    }

    private static string EventIdOf(string line)
    {
        using var document = System.Text.Json.JsonDocument.Parse(line);
        return document.RootElement.GetProperty("eventId").GetString()!;
    }
}
