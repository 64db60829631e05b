using System.Text.Json.Nodes;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RemediationWorker.Audit;
using RemediationWorker.Configuration;
using RemediationWorker.Playbooks;
using RemediationWorker.Remediation;
using RemediationWorker.Testing;

namespace RemediationWorker.IntegrationTests;

/// <summary>The configuration kept in a versioned S3 bucket, read over moto's S3 wire protocol: the commands with
/// <c>AWS_ENDPOINT_URL</c> (the contract), and a running worker's watcher applying and refusing versions.</summary>
public sealed class ConfigurationS3Tests : IAsyncLifetime, IDisposable
{
    private const string Bucket = "remediation-config";
    private const string Key = "worker/remediation.json";
    private const string Uri = $"s3://{Bucket}/{Key}";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    private readonly string _directory = Directory.CreateTempSubdirectory("s3config-").FullName;
    private readonly MemoryAuditSink _audit = new();
    private MotoServer _moto = null!;
    private AmazonS3Client? _s3;

    public async Task InitializeAsync()
    {
        _moto = await MotoServer.StartAsync();
        _s3 = new AmazonS3Client(AwsEndpoints.Credentials, S3ClientFactory.Configure(_moto.Url, AwsEndpoints.Region));
        await _s3!.PutBucketAsync(new PutBucketRequest { BucketName = Bucket });
        await _s3!.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = Bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } });
    }

    public async Task DisposeAsync()
    {
        await _moto.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    public void Dispose() => _s3?.Dispose();

    [Fact]
    public async Task Validate_S3UriWithEndpointVariable_ShippedExitsZeroBrokenExitsOneNamingThePlaybook()
    {
        await PutAsync(Shipped());
        var (okExit, okOutput) = await WorkerProcess.RunCommandAsync(CommandTimeout, Endpoint(), "validate", "--config", Uri);

        var broken = Shipped();
        Playbook(broken, "stack-rollback-continue")["limits"]!["maxAttempts"] = 0;
        await PutAsync(broken);
        var (badExit, badOutput) = await WorkerProcess.RunCommandAsync(CommandTimeout, Endpoint(), "validate", "--config", Uri);

        Assert.True(okExit == 0, okOutput);
        Assert.StartsWith("valid: configuration ", okOutput, StringComparison.Ordinal);
        Assert.True(badExit == 1, badOutput);
        Assert.Contains("playbooks[stack-rollback-continue].limits.maxAttempts", badOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", badOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_ServiceSpecificEndpointVariable_ReadsTheObject()
    {
        await PutAsync(Shipped());

        var (exit, output) = await WorkerProcess.RunCommandAsync(CommandTimeout, new Dictionary<string, string?> { ["AWS_ENDPOINT_URL_S3"] = _moto.Url, ["AWS_REGION"] = AwsEndpoints.Region }, "validate", "--config", Uri);

        Assert.True(exit == 0, output);
    }

    [Fact]
    public async Task Commands_MissingObject_ExitTwoNamingIt()
    {
        var (validateExit, validateOutput) = await WorkerProcess.RunCommandAsync(CommandTimeout, Endpoint(), "validate", "--config", $"s3://{Bucket}/absent.json");
        var environment = new Dictionary<string, string?>(Endpoint()) { ["REMEDIATION_CONFIG"] = $"s3://{Bucket}/absent.json" };
        var (runExit, runOutput) = await WorkerProcess.RunCommandAsync(CommandTimeout, environment, "run", "--once");

        Assert.True(validateExit == 2, validateOutput);
        Assert.Contains($"s3://{Bucket}/absent.json does not exist (NoSuchKey)", validateOutput, StringComparison.Ordinal);
        Assert.True(runExit == 2, runOutput);
        Assert.Contains("does not exist (NoSuchKey)", runOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", runOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_ObjectNotJson_ExitsOne()
    {
        await PutAsync("{ \"Remediation\": [");

        var (exit, output) = await WorkerProcess.RunCommandAsync(CommandTimeout, Endpoint(), "validate", "--config", Uri);

        Assert.True(exit == 1, output);
        Assert.Contains("is not valid JSON", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watcher_VersionsOverS3_AppliedRefusedKeptAndReplacedWhole()
    {
        var first = await PutAsync(Shipped());
        using var reader = new ConfigurationDocumentReader(() => new AmazonS3Client(AwsEndpoints.Credentials, S3ClientFactory.Configure(_moto.Url, AwsEndpoints.Region)));
        var location = ConfigurationLocation.Parse(Uri);
        var document = await reader.ReadAtStartAsync(location, TimeProvider.System, TimeSpan.Zero, (_, _) => { }, CancellationToken.None);
        var provider = DocumentConfigurationProvider.Parse(document);
        var status = new ConfigurationStatus(Path.Combine(_directory, "status"));
        status.Loaded(document);
        using var catalog = new PlaybookCatalog(ConfigurationLayers.Build(provider), _audit, TimeProvider.System, new WorkerIdentity("s3-test"), NullLogger<PlaybookCatalog>.Instance, status);
        using var watcher = new ConfigurationWatcher(new WatchedConfiguration(location, provider, reader, status), catalog, Options.Create(new ConfigurationOptions()), TimeProvider.System, NullLogger<ConfigurationWatcher>.Instance);
        Assert.Equal(first, document.VersionId);

        await watcher.CheckAsync(CancellationToken.None); // unchanged: 304, nothing recorded
        var broken = Shipped();
        Playbook(broken, "drift-sweep")["resource"] = "detail.nope";
        var brokenVersion = await PutAsync(broken);
        await watcher.CheckAsync(CancellationToken.None);
        var kept = catalog.Current;
        var notJson = await PutAsync("not json");
        await watcher.CheckAsync(CancellationToken.None);
        var shorter = Shipped();
        shorter["Remediation"]!["playbooks"] = new JsonArray(Playbook(Shipped(), "codebuild-transient-retry").DeepClone());
        var shorterVersion = await PutAsync(shorter);
        await watcher.CheckAsync(CancellationToken.None);

        var records = _audit.Records.ToList();
        Assert.Collection(
            records,
            r => Assert.True(r.Decision == AuditDecision.ConfigRejected && r.Reason!.Contains($"version {brokenVersion}", StringComparison.Ordinal) && r.Reason.Contains("playbooks[drift-sweep].resource", StringComparison.Ordinal), r.Reason),
            r => Assert.True(r.Decision == AuditDecision.ConfigRejected && r.Reason!.Contains($"version {notJson}", StringComparison.Ordinal) && r.Reason.Contains("is not valid JSON", StringComparison.Ordinal), r.Reason),
            r => Assert.True(r.Decision == AuditDecision.ConfigLoaded && r.Reason!.Contains($"version {shorterVersion}, sha256 ", StringComparison.Ordinal), r.Reason));
        Assert.Equal(kept.Hash, records[1].ConfigHash); // the last good version kept running through both refusals
        Assert.Equal(["codebuild-transient-retry"], catalog.Current.Playbooks.Select(p => p.Id));
        Assert.Equal(1, catalog.Current.ConfiguredPlaybooks);
    }

    private static JsonObject Shipped() => JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "appsettings.json")))!.AsObject();

    private static JsonObject Playbook(JsonObject root, string id)
        => root["Remediation"]!["playbooks"]!.AsArray().Select(p => p!.AsObject()).Single(p => (string?)p["id"] == id);

    private Dictionary<string, string?> Endpoint() => new(StringComparer.Ordinal) { ["AWS_ENDPOINT_URL"] = _moto.Url, ["AWS_REGION"] = AwsEndpoints.Region };

    private Task<string> PutAsync(JsonObject json) => PutAsync(json.ToJsonString());

    /// <returns>The new version id.</returns>
    private async Task<string> PutAsync(string content)
    {
        var response = await _s3!.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = Key, ContentBody = content, ContentType = "application/json" });
        return response.VersionId;
    }
}
