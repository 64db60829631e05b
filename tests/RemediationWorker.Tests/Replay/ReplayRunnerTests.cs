using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using RemediationWorker.Audit;
using RemediationWorker.Replay;
using RemediationWorker.Tests.TestSupport;

namespace RemediationWorker.Tests.Replay;

public sealed class ReplayRunnerTests
{
    private readonly RecordingAuditSink _audit = new();

    [Fact]
    public async Task RunAsync_ReplayedDay_ClockFollowsEventTimeSoCooldownAndBudgetFire()
    {
        var (summary, lines) = await ReplayJsonAsync(RepositoryPaths.ReplayDay);

        var rollback = lines.Where(l => (string?)l["playbook"] == "stack-rollback-continue")
            .Select(l => ((string)l["time"]!, (string)l["decision"]!, (string?)l["guard"])).ToList();
        Assert.Equal(
            [
                ("2026-11-26T08:00:00+00:00", "planned", null),
                ("2026-11-26T08:05:00+00:00", "skipped", "cooldown"),
                ("2026-11-26T08:30:00+00:00", "planned", null),
                ("2026-11-26T09:00:00+00:00", "escalated", "attempt-budget"),
                ("2026-11-26T10:00:00+00:00", "skipped", "attempt-budget"),
                ("2026-11-26T14:30:00+00:00", "planned", null),
            ],
            rollback);
        Assert.Equal(29, (int)summary["events"]!);
        Assert.Equal(1, (int)summary["guards"]!["cooldown"]!);
        Assert.Equal(2, (int)summary["guards"]!["attempt-budget"]!);
        Assert.Equal(3, (int)summary["playbooks"]!["stack-rollback-continue"]!["planned"]!);
        Assert.Equal(1, (int)summary["decisions"]!["rejected"]!);
    }

    [Fact]
    public async Task RunAsync_JsonFormat_OneLinePerVerdictWithRequiredFieldsThenSummaryLast()
    {
        var (_, lines) = await ReplayJsonAsync(RepositoryPaths.SampleEvents);

        Assert.Equal(11, lines.Count);
        Assert.All(lines, l =>
        {
            Assert.NotNull((string?)l["eventId"]);
            Assert.NotNull((string?)l["decision"]);
            Assert.True(l.ContainsKey("playbook") && l.ContainsKey("reason") && l.ContainsKey("guard") && l.ContainsKey("resource"));
        });
    }

    [Fact]
    public async Task RunAsync_AuditRecordsTimedAtEventTimeAndNeverStarted()
    {
        await ReplayJsonAsync(RepositoryPaths.ReplayDay);

        var escalated = Assert.Single(_audit.Of(AuditDecision.Escalated));
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero), escalated.Time);
        Assert.Equal("replay", escalated.WorkerId);
        Assert.Empty(_audit.Of(AuditDecision.Started));
        Assert.Equal(AuditDecision.ConfigLoaded, _audit.Records[0].Decision);
    }

    [Fact]
    public async Task RunAsync_LiveConfiguration_StillOnlyPlans()
    {
        var configuration = TestConfiguration.Edited(
            json => TestConfiguration.Playbook(json, "stack-rollback-continue")["mode"] = "Live",
            new Dictionary<string, string?> { ["Execution:Mode"] = "Live" });
        using var output = new StringWriter();
        using var report = new ReplayReport(output, ReplayFormat.Table);

        await new ReplayRunner(configuration, s => s.AddSingleton<IAuditSink>(_audit))
            .RunAsync(RepositoryPaths.Sample("cfn-stack-update-rollback-failed.json"), report, CancellationToken.None);

        Assert.Single(_audit.Of(AuditDecision.Planned));
        Assert.Contains("planned", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_TableFormat_VerdictsThenSummaryPerPlaybookAndGuard()
    {
        using var output = new StringWriter();
        using var report = new ReplayReport(output, ReplayFormat.Table);

        await new ReplayRunner(TestConfiguration.Shipped(), s => s.AddSingleton<IAuditSink>(_audit))
            .RunAsync(RepositoryPaths.ReplayDay, report, CancellationToken.None);

        var text = output.ToString();
        Assert.StartsWith("time ", text, StringComparison.Ordinal);
        Assert.Contains("29 events, configuration ", text, StringComparison.Ordinal);
        Assert.Matches(@"\nplaybook\s+escalated\s+planned\s+skipped", text);
        Assert.Matches(@"\nattempt-budget\s+2", text);
        Assert.Matches(@"\ncooldown\s+1", text);
    }

    [Fact]
    public async Task RunAsync_PlannedRuns_ShowTheirRenderedParameters()
    {
        var (_, lines) = await ReplayJsonAsync(RepositoryPaths.SampleEvents);

        var planned = lines.Where(l => (string)l["decision"]! == "planned").ToList();
        Assert.NotEmpty(planned);
        Assert.All(planned, l => Assert.NotNull(l["parameters"]?["AutomationAssumeRole"]));
        var rollback = Assert.Single(planned, l => (string?)l["playbook"] == "stack-rollback-continue");
        Assert.Equal((string)rollback["resource"]!, (string)rollback["parameters"]!["StackName"]!);
        Assert.Equal("false", (string)rollback["parameters"]!["SkipFailedResources"]!);
        Assert.All(lines.Where(l => (string)l["decision"]! != "planned"), l => Assert.Null(l["parameters"]));
    }

    [Fact]
    public async Task RunAsync_TimesOutOfRange_RejectedAndTheClockNeitherJumpsNorGoesBack()
    {
        var start = new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);
        var path = Path.Combine(Path.GetTempPath(), $"replay-clock-{Guid.NewGuid():N}.jsonl");
        File.WriteAllLines(path, new[]
        {
            TestEvents.RollbackFailed(start, id: "first"),
            TestEvents.RollbackFailed(new DateTimeOffset(9999, 12, 31, 0, 0, 0, TimeSpan.Zero), id: "year-9999"),
            TestEvents.RollbackFailed(new DateTimeOffset(1999, 12, 31, 0, 0, 0, TimeSpan.Zero), id: "year-1999"),
            TestEvents.RollbackFailed(start.AddDays(2), id: "two-days-ahead"),
            TestEvents.RollbackFailed(start.AddMinutes(-30), id: "earlier"),
        }.Select(e => e.ToJsonString()));
        var wallClock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(start.AddHours(12));

        try
        {
            var (_, lines) = await ReplayJsonAsync(path, wallClock);

            var name = Path.GetFileName(path);
            var decisions = lines.Select(l => ((string)l["eventId"]!, (string)l["decision"]!, (string?)l["guard"])).ToList();
            Assert.Equal([("first", "planned", null), ($"{name}:2", "rejected", null), ($"{name}:3", "rejected", null), ($"{name}:4", "rejected", null), ("earlier", "skipped", "cooldown")], decisions);
            Assert.All(lines.Skip(1).Take(3), l => Assert.StartsWith("time-out-of-range: ", (string)l["reason"]!, StringComparison.Ordinal));
            // The guards' clock stayed at the latest accepted time: the earlier event is decided at it, in the cooldown.
            Assert.Equal(start, _audit.Of(AuditDecision.Skipped).Single().Time);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private async Task<(JsonObject Summary, List<JsonObject> Verdicts)> ReplayJsonAsync(string path, TimeProvider? wallClock = null)
    {
        using var output = new StringWriter();
        using var report = new ReplayReport(output, ReplayFormat.Json);
        await new ReplayRunner(TestConfiguration.Shipped(), s => s.AddSingleton<IAuditSink>(_audit), wallClock)
            .RunAsync(path, report, CancellationToken.None);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        var summary = lines[^1]["summary"]!.AsObject();
        return (summary, lines[..^1]);
    }
}
