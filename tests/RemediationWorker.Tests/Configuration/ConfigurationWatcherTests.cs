using System.Net;
using System.Text.Json.Nodes;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using RemediationWorker.Audit;
using RemediationWorker.Configuration;
using RemediationWorker.Playbooks;
using RemediationWorker.Remediation;
using RemediationWorker.Tests.TestSupport;

namespace RemediationWorker.Tests.Configuration;

/// <summary>A running worker's configuration document changing under it: each new version is applied whole or
/// refused whole, and audited either way.</summary>
public sealed class ConfigurationWatcherTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("watch-").FullName;
    private readonly RecordingAuditSink _audit = new();
    private readonly FakeTimeProvider _time = new(WorkerFixture.Start);

    private string File => Path.Combine(_directory, "remediation.json");

    private string StatusFile => Path.Combine(_directory, "status");

    [Fact]
    public async Task Check_GoodEdit_AppliedAndConfigLoadedNamesItsSha256()
    {
        var (watcher, catalog) = Start(TestConfiguration.ShippedJson());
        var before = catalog.Current.Hash;

        Write(Shipped(json => TestConfiguration.Playbook(json, "drift-sweep")["enabled"] = false));
        await watcher.CheckAsync(CancellationToken.None);

        Assert.NotEqual(before, catalog.Current.Hash);
        Assert.DoesNotContain(catalog.Current.Playbooks, p => p.Id == "drift-sweep");
        var record = Assert.Single(_audit.Of(AuditDecision.ConfigLoaded));
        Assert.Contains($"sha256 {Sha256(File)}", record.Reason, StringComparison.Ordinal);
        Assert.Contains($"replaces {before}", record.Reason, StringComparison.Ordinal);
        Assert.Contains($"configuration in force: {File}, sha256 {Sha256(File)}", System.IO.File.ReadAllText(StatusFile), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_NotJson_RefusedAuditedAndLastGoodKeepsRunning()
    {
        var (watcher, catalog) = Start(TestConfiguration.ShippedJson());
        var good = catalog.Current;

        System.IO.File.WriteAllText(File, "{ \"Remediation\": { ");
        await watcher.CheckAsync(CancellationToken.None);

        Assert.Same(good, catalog.Current);
        var record = Assert.Single(_audit.Of(AuditDecision.ConfigRejected));
        Assert.Equal(good.Hash, record.ConfigHash);
        Assert.Contains($"sha256 {Sha256(File)}", record.Reason, StringComparison.Ordinal);
        Assert.Contains("is not valid JSON", record.Reason, StringComparison.Ordinal);
        Assert.Contains("rejected: ", System.IO.File.ReadAllText(StatusFile), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_InvalidPlaybooks_RefusedListingEveryError()
    {
        var (watcher, catalog) = Start(TestConfiguration.ShippedJson());
        var good = catalog.Current;

        Write(Shipped(json =>
        {
            TestConfiguration.Playbook(json, "stack-drift-revert")["limits"]!["maxAttempts"] = 0;
            TestConfiguration.Playbook(json, "drift-sweep")["resource"] = "detail.nope";
        }));
        await watcher.CheckAsync(CancellationToken.None);

        Assert.Same(good, catalog.Current);
        var record = Assert.Single(_audit.Of(AuditDecision.ConfigRejected));
        Assert.Contains("playbooks[stack-drift-revert].limits.maxAttempts", record.Reason, StringComparison.Ordinal);
        Assert.Contains("playbooks[drift-sweep].resource", record.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_ChangeOutsideRemediationAndMode_RefusedAsNeedingARestart()
    {
        var (watcher, catalog) = Start(TestConfiguration.ShippedJson());
        var good = catalog.Current;

        Write(Shipped(json =>
        {
            json["Intake"]!["Local"]!["Path"] = "elsewhere";
            TestConfiguration.Playbook(json, "drift-sweep")["enabled"] = false;
        }));
        await watcher.CheckAsync(CancellationToken.None);

        Assert.Same(good, catalog.Current);
        var record = Assert.Single(_audit.Of(AuditDecision.ConfigRejected));
        Assert.Contains("needs a restart: Intake:Local:Path changed", record.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_ExecutionModeChanged_AppliedLive()
    {
        var (watcher, catalog) = Start(TestConfiguration.ShippedJson());

        Write(Shipped(json => json["Execution"]!["Mode"] = "Live"));
        await watcher.CheckAsync(CancellationToken.None);

        Assert.Equal(RunMode.Live, catalog.Current.GlobalMode);
        Assert.Single(_audit.Of(AuditDecision.ConfigLoaded));
    }

    [Fact]
    public async Task Check_ShorterPlaybookList_NoneOfTheOldOnesLeft()
    {
        var (watcher, catalog) = Start(TestConfiguration.ShippedJson());
        var kept = TestConfiguration.Playbook(TestConfiguration.ShippedJson(), "codebuild-transient-retry");

        Write(TestConfiguration.WithPlaybooks(kept));
        await watcher.CheckAsync(CancellationToken.None);

        Assert.Equal(1, catalog.Current.ConfiguredPlaybooks);
        Assert.Equal(["codebuild-transient-retry"], catalog.Current.Playbooks.Select(p => p.Id));
    }

    [Fact]
    public async Task Check_NewVersionDecidingNothingDifferently_StillAuditedWithItsSha256()
    {
        var (watcher, catalog) = Start(TestConfiguration.ShippedJson());
        var hash = catalog.Current.Hash;

        System.IO.File.WriteAllText(File, TestConfiguration.ShippedJson().ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        await watcher.CheckAsync(CancellationToken.None);

        var record = Assert.Single(_audit.Of(AuditDecision.ConfigLoaded));
        Assert.Equal(hash, record.ConfigHash);
        Assert.Contains($"sha256 {Sha256(File)}", record.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_SameBadVersionSeenAgain_AuditedOnce()
    {
        var (watcher, _) = Start(TestConfiguration.ShippedJson());

        System.IO.File.WriteAllText(File, "not json");
        await watcher.CheckAsync(CancellationToken.None);
        await watcher.CheckAsync(CancellationToken.None);

        Assert.Single(_audit.Of(AuditDecision.ConfigRejected));
    }

    [Fact]
    public async Task Check_FileDeleted_RefusedAndLastGoodKeepsRunning()
    {
        var (watcher, catalog) = Start(TestConfiguration.ShippedJson());
        var good = catalog.Current;

        System.IO.File.Delete(File);
        await watcher.CheckAsync(CancellationToken.None);

        Assert.Same(good, catalog.Current);
        Assert.Contains("no configuration file at", Assert.Single(_audit.Of(AuditDecision.ConfigRejected)).Reason, StringComparison.Ordinal);
    }

    /// <summary>docs/benchmarks.md "Configuration polling": the S3 requests an unchanged object costs per hour at the
    /// default interval, counted on fake time (one conditional GET per interval, each answered 304).</summary>
    [Fact]
    public async Task Execute_UnchangedS3ObjectForAnHourAtTheDefaultInterval_SixtyConditionalGets()
    {
        var s3 = Substitute.For<IAmazonS3>();
        var location = ConfigurationLocation.Parse("s3://config-bucket/remediation.json");
        s3.GetObjectAsync(Arg.Any<GetObjectRequest>(), Arg.Any<CancellationToken>()).ThrowsAsync(new AmazonS3Exception("Not Modified") { StatusCode = HttpStatusCode.NotModified });
        var document = new ConfigurationDocument(location, System.Text.Encoding.UTF8.GetBytes(TestConfiguration.ShippedJson().ToJsonString()), "v1", "\"etag-1\"");
        using var reader = new ConfigurationDocumentReader(() => s3);
        var clock = new TimerCountingTimeProvider(_time);
        var (watcher, catalog) = Start(document, reader, clock);

        await watcher.StartAsync(CancellationToken.None);
        for (var minute = 1; minute <= 60; minute++)
        {
            await WaitUntilAsync(() => clock.Timers == minute); // the watcher waits for its next look
            _time.Advance(TimeSpan.FromMinutes(1));
            await WaitUntilAsync(() => reader.S3Requests == minute);
        }

        await watcher.StopAsync(CancellationToken.None);
        Assert.Equal(60, reader.S3Requests);
        await s3.Received(60).GetObjectAsync(Arg.Is<GetObjectRequest>(r => r.EtagToNotMatch == "\"etag-1\"" && r.BucketName == "config-bucket"), Arg.Any<CancellationToken>());
        Assert.Empty(_audit.Records);
        watcher.Dispose();
        catalog.Dispose();
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string Sha256(string path) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.IO.File.ReadAllBytes(path)));

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        // The watcher runs on the thread pool (BackgroundService): give it real time, bounded, to catch up.
        for (var i = 0; i < 2_000 && !condition(); i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(5), TimeProvider.System);
        }

        Assert.True(condition());
    }

    private static JsonObject Shipped(Action<JsonObject> edit)
    {
        var json = TestConfiguration.ShippedJson();
        edit(json);
        return json;
    }

    private void Write(JsonObject json) => System.IO.File.WriteAllText(File, json.ToJsonString());

    private (ConfigurationWatcher Watcher, PlaybookCatalog Catalog) Start(JsonObject json)
    {
        Write(json);
        var location = ConfigurationLocation.Parse(File);
        var reader = new ConfigurationDocumentReader(() => throw new InvalidOperationException("no S3 here"));
        return Start(ConfigurationDocumentReader.ReadFile(location), reader);
    }

    private (ConfigurationWatcher Watcher, PlaybookCatalog Catalog) Start(ConfigurationDocument document, ConfigurationDocumentReader reader, TimeProvider? clock = null)
    {
        var provider = DocumentConfigurationProvider.Parse(document);
        var status = new ConfigurationStatus(StatusFile);
        status.Loaded(document);
        var catalog = new PlaybookCatalog(ConfigurationLayers.Build(provider), _audit, _time, new WorkerIdentity("test-worker"), NullLogger<PlaybookCatalog>.Instance, status);
        var watcher = new ConfigurationWatcher(new WatchedConfiguration(document.Location, provider, reader, status), catalog, Options.Create(new ConfigurationOptions()), clock ?? _time, NullLogger<ConfigurationWatcher>.Instance);
        return (watcher, catalog);
    }

    /// <summary>The fake clock, counting the timers created on it: each is the watcher's wait for its next look.</summary>
    private sealed class TimerCountingTimeProvider(FakeTimeProvider inner) : TimeProvider
    {
        private int _timers;

        public int Timers => _timers;

        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Interlocked.Increment(ref _timers);
            return inner.CreateTimer(callback, state, dueTime, period);
        }
    }
}
