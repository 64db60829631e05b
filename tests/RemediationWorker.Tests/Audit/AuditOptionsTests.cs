using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RemediationWorker.Audit;

namespace RemediationWorker.Tests.Audit;

public sealed class AuditOptionsTests : IDisposable
{
    private readonly AuditTestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Defaults_AreDocumentedValues()
    {
        var options = new AuditOptions();

        Assert.Equal("audit/remediation-audit.jsonl", options.Path);
        Assert.True(options.FlushToDisk);
        Assert.True(options.LogToStdout);
        Assert.Equal(Path.GetFullPath("audit/remediation-audit.jsonl"), options.ResolveFullPath());
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public void Validate_EmptyPath_Fails(string? path)
    {
        var result = new AuditOptionsValidator().Validate(null, new AuditOptions { Path = path! });

        Assert.True(result.Failed);
        Assert.Contains("Path", result.FailureMessage);
    }

    [Fact]
    public async Task AddAudit_BoundFromConfiguration_ResolvesJsonLinesSinkOnConfiguredPath()
    {
        var path = _dir.File("replica-{MachineName}.jsonl");
        await using var provider = CreateServices(new() { ["Audit:Path"] = path, ["Audit:FlushToDisk"] = "false" });

        var sink = provider.GetRequiredService<IAuditSink>();

        var jsonLines = Assert.IsType<JsonLinesAuditSink>(sink);
        Assert.Same(jsonLines, provider.GetRequiredService<JsonLinesAuditSink>());
        Assert.Equal(_dir.File($"replica-{Environment.MachineName}.jsonl"), jsonLines.FilePath);
        Assert.False(provider.GetRequiredService<IOptions<AuditOptions>>().Value.FlushToDisk);
    }

    [Fact]
    public async Task AddAudit_EmptyPath_HostFailsToStart()
    {
        using var host = new HostBuilder()
            .ConfigureAppConfiguration(c => c.AddInMemoryCollection(new Dictionary<string, string?> { ["Audit:Path"] = "" }))
            .ConfigureServices(s => s.AddAudit())
            .Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Path", ex.Message);
    }

    private static ServiceProvider CreateServices(Dictionary<string, string?> settings) => new ServiceCollection()
        .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
        .AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance)
        .AddSingleton(typeof(ILogger<>), typeof(Logger<>))
        .AddAudit()
        .BuildServiceProvider();
}
