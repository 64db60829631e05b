using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RemediationWorker.Audit;
using RemediationWorker.Playbooks;
using RemediationWorker.Remediation;
using RemediationWorker.Tests.TestSupport;

namespace RemediationWorker.Tests.Playbooks;

/// <summary>Reload as it happens in production: the file is edited and the configuration reloaded.</summary>
public sealed class PlaybookCatalogTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"appsettings-{Guid.NewGuid():N}.json");
    private readonly RecordingAuditSink _audit = new();
    private readonly FakeTimeProvider _time = new(WorkerFixture.Start);

    [Fact]
    public async Task Reload_BadEdit_LastGoodKeepsRunningAndConfigRejectedIsAudited()
    {
        var (configuration, catalog) = CreateSut();
        var good = catalog.Current;

        Edit(configuration, json => TestConfiguration.Playbook(json, "stack-rollback-continue")["runbook"]!["parameters"]!["StackName"]!["allowedPattern"] = string.Empty);
        await catalog.LastReload;

        Assert.Same(good, catalog.Current);
        var record = Assert.Single(_audit.Of(AuditDecision.ConfigRejected));
        Assert.Equal(good.Hash, record.ConfigHash);
        Assert.Contains("playbooks[stack-rollback-continue].runbook.parameters.StackName.allowedPattern: is required", record.Reason, StringComparison.Ordinal);
        Assert.Equal("test-worker", record.WorkerId);
        Assert.NotEmpty(_audit.FlushedAt);
    }

    [Fact]
    public async Task Reload_GoodEdit_TakesEffectWithNewHashAndConfigLoaded()
    {
        var (configuration, catalog) = CreateSut();
        var before = catalog.Current;

        Edit(configuration, json => TestConfiguration.Playbook(json, "stack-drift-revert")["enabled"] = false);
        await catalog.LastReload;

        Assert.NotEqual(before.Hash, catalog.Current.Hash);
        Assert.Equal(3, catalog.Current.Playbooks.Count);
        var record = Assert.Single(_audit.Of(AuditDecision.ConfigLoaded));
        Assert.Equal(catalog.Current.Hash, record.ConfigHash);
        Assert.Contains($"replaces {before.Hash}", record.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reload_BadEditThenFix_FixTakesEffect()
    {
        var (configuration, catalog) = CreateSut();

        Edit(configuration, json => json["Remediation"]!["limits"]!["maxInFlight"] = "zero");
        await catalog.LastReload;
        Edit(configuration, json => json["Remediation"]!["limits"]!["maxInFlight"] = 7);
        await catalog.LastReload;

        Assert.Equal(7, catalog.Current.Options.Limits.MaxInFlight);
        Assert.Single(_audit.Of(AuditDecision.ConfigRejected));
        Assert.Single(_audit.Of(AuditDecision.ConfigLoaded));
    }

    [Fact]
    public async Task Reload_NoChange_WritesNothing()
    {
        var (configuration, catalog) = CreateSut();

        configuration.Reload();
        await catalog.LastReload;

        Assert.Empty(_audit.Records);
    }

    [Fact]
    public void Constructor_InvalidConfiguration_ThrowsOptionsValidationExceptionNamingField()
    {
        var configuration = TestConfiguration.Edited(json => TestConfiguration.Playbook(json, "stack-drift-revert")["resource"] = "detail.nope");

        var ex = Assert.Throws<OptionsValidationException>(() => new PlaybookCatalog(configuration, _audit, _time, new WorkerIdentity("w"), NullLogger<PlaybookCatalog>.Instance));

        Assert.Contains(ex.Failures, f => f.StartsWith("playbooks[stack-drift-revert].resource:", StringComparison.Ordinal));
    }

    private (IConfigurationRoot Configuration, PlaybookCatalog Catalog) CreateSut()
    {
        File.WriteAllText(_file, TestConfiguration.ShippedJson().ToJsonString());
        var configuration = new ConfigurationBuilder().AddJsonFile(_file, optional: false, reloadOnChange: false).Build();
        return (configuration, new PlaybookCatalog(configuration, _audit, _time, new WorkerIdentity("test-worker"), NullLogger<PlaybookCatalog>.Instance));
    }

    public void Dispose() => File.Delete(_file);

    private void Edit(IConfigurationRoot configuration, Action<System.Text.Json.Nodes.JsonObject> edit)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(_file))!.AsObject();
        edit(json);
        File.WriteAllText(_file, json.ToJsonString());
        configuration.Reload();
    }
}
