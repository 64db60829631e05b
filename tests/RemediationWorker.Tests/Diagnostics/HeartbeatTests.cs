using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RemediationWorker.Commands;
using RemediationWorker.Diagnostics;
using RemediationWorker.Intake;

namespace RemediationWorker.Tests.Diagnostics;

public sealed class HeartbeatTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan MaxSilence = TimeSpan.FromMinutes(2);

    private readonly string _directory = Directory.CreateTempSubdirectory("health-").FullName;
    private readonly FakeTimeProvider _time = new(Start);

    private string HeartbeatPath => Path.Combine(_directory, "audit", ".heartbeat");

    [Fact]
    public void Beat_FirstPoll_CreatesDirectoryAndWritesIsoUtcTimeOfTimeProvider()
    {
        CreateSut().Beat();

        Assert.Equal("2026-11-26T08:00:00.000Z", File.ReadAllText(HeartbeatPath));
    }

    [Fact]
    public void Beat_WithinMinInterval_KeepsEarlierTimeThenWritesAfterIt()
    {
        var sut = CreateSut();
        sut.Beat();

        _time.Advance(TimeSpan.FromMilliseconds(500));
        sut.Beat();
        Assert.Equal("2026-11-26T08:00:00.000Z", File.ReadAllText(HeartbeatPath));

        _time.Advance(TimeSpan.FromMilliseconds(600));
        sut.Beat();
        Assert.Equal("2026-11-26T08:00:01.100Z", File.ReadAllText(HeartbeatPath));
    }

    [Fact]
    public void Beat_UnwritablePath_DoesNotThrow()
    {
        File.WriteAllText(Path.Combine(_directory, "file"), "x");
        var sut = new Heartbeat(Options.Create(new HealthOptions { HeartbeatPath = Path.Combine(_directory, "file", ".heartbeat") }), _time, NullLogger<Heartbeat>.Instance);

        sut.Beat();
        sut.Beat();
    }

    [Fact]
    public void Evaluate_NoHeartbeatFile_UnhealthyNoHeartbeatYet()
    {
        var report = HeartbeatCheck.Evaluate(HeartbeatPath, MaxSilence, Start);

        Assert.False(report.IsHealthy);
        Assert.StartsWith("no heartbeat yet", report.Reason);
    }

    [Fact]
    public void Evaluate_HeartbeatWithinMaxSilence_Healthy()
    {
        CreateSut().Beat();
        _time.Advance(MaxSilence);

        var report = HeartbeatCheck.Evaluate(HeartbeatPath, MaxSilence, _time.GetUtcNow());

        Assert.True(report.IsHealthy, report.Reason);
    }

    [Fact]
    public void Evaluate_HeartbeatOlderThanMaxSilence_UnhealthyWithAge()
    {
        CreateSut().Beat();
        _time.Advance(TimeSpan.FromSeconds(121));

        var report = HeartbeatCheck.Evaluate(HeartbeatPath, MaxSilence, _time.GetUtcNow());

        Assert.False(report.IsHealthy);
        Assert.Contains("no poll completed for 121 s", report.Reason);
        Assert.Contains("2026-11-26T08:00:00.000Z", report.Reason);
    }

    [Fact]
    public void Evaluate_FreshContentInOldFile_UsesContentNotModificationTime()
    {
        CreateSut().Beat();
        File.SetLastWriteTimeUtc(HeartbeatPath, new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc));

        Assert.True(HeartbeatCheck.Evaluate(HeartbeatPath, MaxSilence, Start.AddSeconds(5)).IsHealthy);
    }

    [Fact]
    public void Evaluate_ContentNotATime_Unhealthy()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(HeartbeatPath)!);
        File.WriteAllText(HeartbeatPath, "yesterday");

        var report = HeartbeatCheck.Evaluate(HeartbeatPath, MaxSilence, Start);

        Assert.False(report.IsHealthy);
        Assert.Contains("holds no time", report.Reason);
    }

    [Fact]
    public void Run_StaleHeartbeatInConfiguredPath_ExitsOneWithReasonOnStdout()
    {
        CreateSut().Beat();
        var config = WriteConfig("00:00:30");
        _time.Advance(TimeSpan.FromSeconds(45));
        var output = new StringWriter();

        var exitCode = HealthCommand.Run(config, _time, output);

        Assert.Equal(1, exitCode);
        Assert.StartsWith("unhealthy: no poll completed for 45 s", output.ToString());
    }

    [Fact]
    public void Run_FreshHeartbeat_ExitsZeroHealthy()
    {
        CreateSut().Beat();
        var config = WriteConfig("00:00:30");
        _time.Advance(TimeSpan.FromSeconds(10));
        var output = new StringWriter();

        Assert.Equal(0, HealthCommand.Run(config, _time, output));
        Assert.StartsWith("healthy: last poll completed 10 s ago", output.ToString());
    }

    [Fact]
    public void Run_NoHeartbeatYet_ExitsOne()
    {
        var output = new StringWriter();

        Assert.Equal(1, HealthCommand.Run(WriteConfig("00:02:00"), _time, output));
        Assert.StartsWith("unhealthy: no heartbeat yet", output.ToString());
    }

    [Fact]
    public void Run_MaxSilenceOutOfRange_ExitsOneNamingTheOption()
    {
        var output = new StringWriter();

        Assert.Equal(1, HealthCommand.Run(WriteConfig("00:00:01"), _time, output));
        Assert.Contains("MaxSilence", output.ToString());
    }

    [Fact]
    public async Task ReadAllAsync_IdleWatchingSource_BeatsOnEveryPoll()
    {
        var heartbeat = CreateSut();
        var intake = new IntakeOptions { Local = new LocalIntakeOptions { Path = _directory, PollInterval = TimeSpan.FromSeconds(5) } };
        var source = new LocalDirectoryEventSource(Options.Create(intake), new RunSettings(Once: false), _time, NullLogger<LocalDirectoryEventSource>.Instance, heartbeat);
        using var cts = new CancellationTokenSource();
        await using var reading = source.ReadAllAsync(cts.Token).GetAsyncEnumerator(cts.Token);

        var next = reading.MoveNextAsync().AsTask();
        Assert.Equal("2026-11-26T08:00:00.000Z", File.ReadAllText(HeartbeatPath));

        _time.Advance(TimeSpan.FromSeconds(5));
        await WaitUntilAsync(() => File.ReadAllText(HeartbeatPath) == "2026-11-26T08:00:05.000Z");

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        // The source continues on the thread pool after the fake delay fires; yield until it has written.
        for (var i = 0; i < 100_000 && !condition(); i++)
        {
            await Task.Yield();
        }

        Assert.True(condition());
    }

    private Heartbeat CreateSut() =>
        new(Options.Create(new HealthOptions { HeartbeatPath = HeartbeatPath }), _time, NullLogger<Heartbeat>.Instance);

    private string WriteConfig(string maxSilence)
    {
        var path = Path.Combine(_directory, "appsettings.json");
        var escaped = HeartbeatPath.Replace("\\", "\\\\", StringComparison.Ordinal);
        File.WriteAllText(path, $$"""{ "Health": { "HeartbeatPath": "{{escaped}}", "MaxSilence": "{{maxSilence}}" } }""");
        return path;
    }
}
