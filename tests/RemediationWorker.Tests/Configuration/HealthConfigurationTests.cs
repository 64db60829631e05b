using Microsoft.Extensions.Time.Testing;
using RemediationWorker.Commands;
using RemediationWorker.Configuration;
using RemediationWorker.Diagnostics;

namespace RemediationWorker.Tests.Configuration;

/// <summary><c>health</c> and the configuration: a refused edit is reported but leaves the task healthy, and an S3
/// configuration is never fetched.</summary>
public sealed class HealthConfigurationTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("health-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 3, 0, 0, TimeSpan.Zero));

    private string HeartbeatPath => Path.Combine(_directory, ".heartbeat");

    [Fact]
    public void Check_RefusedEdit_StaysHealthyAndNamesTheVersionInForceAndTheRefusedOne()
    {
        File.WriteAllText(HeartbeatPath, Heartbeat.Format(_time.GetUtcNow()));
        var location = ConfigurationLocation.Parse(Path.Combine(_directory, "config.json"));
        File.WriteAllText(location.FilePath!, $$"""{ "Health": { "HeartbeatPath": "{{HeartbeatPath}}" } }""");
        var status = new ConfigurationStatus(ConfigurationStatus.PathFor(HeartbeatPath));
        status.Loaded(new ConfigurationDocument(ConfigurationLocation.Parse("s3://bucket/key"), "{}"u8.ToArray(), "v7", "\"e\""));
        status.Refused("s3://bucket/key version v8, sha256 abc", "playbooks[x].resource: is required");

        var report = HealthCommand.Check(location, _time);

        Assert.True(report.IsHealthy, report.Reason);
        Assert.Contains("configuration in force: s3://bucket/key version v7, sha256 ", report.Reason, StringComparison.Ordinal);
        Assert.Contains("rejected: s3://bucket/key version v8, sha256 abc: playbooks[x].resource: is required", report.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_S3Configuration_ReadsNoObjectAndJudgesTheHeartbeatAlone()
    {
        // No S3 endpoint exists here: an attempt to read the object would be a configuration error, not this report.
        var report = HealthCommand.Check(ConfigurationLocation.Parse("s3://no-such-bucket/remediation.json"), _time);

        // (The default heartbeat, audit/.heartbeat under the working directory, may or may not exist here.)
        Assert.False(report.Reason.StartsWith("configuration:", StringComparison.Ordinal), report.Reason);
        Assert.True(report.Reason.StartsWith("last poll completed", StringComparison.Ordinal) || report.Reason.StartsWith("no heartbeat yet", StringComparison.Ordinal), report.Reason);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
