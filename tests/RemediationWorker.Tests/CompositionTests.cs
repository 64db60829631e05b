using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RemediationWorker.Audit;
using RemediationWorker.Intake;
using RemediationWorker.Tests.TestSupport;

namespace RemediationWorker.Tests;

/// <summary>The host as <c>run</c> builds it (style.md #14): bad configuration stops it at start.</summary>
public sealed class CompositionTests
{
    [Fact]
    public async Task StartAsync_BadPlaybook_ThrowsOptionsValidationExceptionNamingPlaybookAndField()
    {
        using var host = BuildHost(TestConfiguration.Edited(json => TestConfiguration.Playbook(json, "stack-drift-revert")["runbook"]!["parameters"]!["StackName"]!["value"] = "{{detail.nope}}"));

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(ex.Failures, f => f.StartsWith("playbooks[stack-drift-revert].runbook.parameters.StackName.value: {{detail.nope}}", StringComparison.Ordinal));
    }

    [Fact]
    public void Compose_Live_TheSsmRunnerIsTheLiveRunnerAndNeedsNoClientUntilUsed()
    {
        using var host = BuildHost(TestConfiguration.Shipped(new Dictionary<string, string?> { ["Execution:Mode"] = "Live" }));

        var runner = host.Services.GetServices<RemediationWorker.Execution.IAutomationRunner>().Last();

        Assert.IsType<RemediationWorker.Execution.SsmAutomationRunner>(runner);
    }

    [Fact]
    public async Task StartAsync_SqsIntakeWithoutQueueUrl_RefusedNamingTheField()
    {
        using var host = BuildHost(TestConfiguration.Shipped(new Dictionary<string, string?> { ["Intake:Source"] = "Sqs", ["Intake:Sqs:WaitTimeSeconds"] = "30" }));

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(ex.Failures, f => f.Contains("Intake.queueUrl", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("Intake.sqs.waitTimeSeconds", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StartAsync_DynamoDbLedgerWithoutTable_ThrowsOptionsValidationExceptionNamingTheKey()
    {
        using var host = BuildHost(TestConfiguration.Shipped(new Dictionary<string, string?> { ["Ledger:Store"] = "DynamoDb" }));

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(ex.Failures, f => f.Contains("Ledger.tableName", StringComparison.Ordinal) && f.Contains("is required with Store=DynamoDb", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("00:00:04")]
    [InlineData("00:30:01")]
    public async Task StartAsync_LeaseMarginOutOfRange_ThrowsOptionsValidationExceptionNamingTheKey(string margin)
    {
        using var host = BuildHost(TestConfiguration.Shipped(new Dictionary<string, string?> { ["Ledger:LeaseMargin"] = margin }));

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(ex.Failures, f => f.Contains("LeaseMargin", StringComparison.Ordinal) && f.Contains("00:00:05", StringComparison.Ordinal) && f.Contains("00:30:00", StringComparison.Ordinal));
    }

    [Fact]
    public void Compose_LedgerStore_InMemoryByDefaultDynamoDbWhenConfigured()
    {
        using var local = BuildHost(TestConfiguration.Shipped());
        using var shared = BuildHost(TestConfiguration.Shipped(new Dictionary<string, string?> { ["Ledger:Store"] = "DynamoDb", ["Ledger:TableName"] = "remediation-ledger", ["Aws:Region"] = "eu-west-1" }));

        Assert.IsType<RemediationWorker.Ledger.InMemoryLedger>(local.Services.GetRequiredService<RemediationWorker.Ledger.ILedger>());
        Assert.IsType<RemediationWorker.Ledger.DynamoDbLedger>(shared.Services.GetRequiredService<RemediationWorker.Ledger.ILedger>());
    }

    [Fact]
    public async Task RunAsync_Once_DrainsTheSamplesAuditsAndStops()
    {
        var audit = new RecordingAuditSink();
        using var host = BuildHost(
            TestConfiguration.Shipped(new Dictionary<string, string?> { ["Intake:Local:Path"] = RepositoryPaths.SampleEvents }),
            services => services.AddSingleton<IAuditSink>(audit).AddSingleton(new RunSettings(Once: true)));

        await host.RunAsync().WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(AuditDecision.WorkerStarted, audit.Records[0].Decision);
        Assert.Equal(AuditDecision.ConfigLoaded, audit.Records[1].Decision);
        Assert.Equal(AuditDecision.WorkerStopped, audit.Records[^1].Decision);
        Assert.Equal(audit.Records[1].ConfigHash, audit.Records[0].ConfigHash);
        Assert.Contains("image tag not set (Audit:ImageTag)", audit.Records[0].Reason, StringComparison.Ordinal);
        Assert.Equal(4, audit.Of(AuditDecision.Planned).Count());
        Assert.Equal(4, audit.Of(AuditDecision.NoMatch).Count());
        Assert.Equal(2, audit.Of(AuditDecision.Rejected).Count());
    }

    [Fact]
    public async Task RunAsync_ImageTagSet_LifecycleRecordsNameIt()
    {
        var audit = new RecordingAuditSink();
        using var host = BuildHost(
            TestConfiguration.Shipped(new Dictionary<string, string?> { ["Intake:Local:Path"] = RepositoryPaths.SampleEvents, ["Audit:ImageTag"] = "1.4.2" }),
            services => services.AddSingleton<IAuditSink>(audit).AddSingleton(new RunSettings(Once: true)));

        await host.RunAsync().WaitAsync(TimeSpan.FromMinutes(1));

        Assert.All(
            [audit.Of(AuditDecision.WorkerStarted).Single(), audit.Of(AuditDecision.WorkerStopped).Single()],
            r => Assert.Contains("image tag 1.4.2, configuration " + r.ConfigHash, r.Reason, StringComparison.Ordinal));
    }

    private static IHost BuildHost(IConfiguration configuration, Action<IServiceCollection>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddConfiguration(configuration);
        builder.Services.AddRemediationWorker(builder.Configuration);
        configure?.Invoke(builder.Services);
        return builder.Build();
    }
}
