using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using RemediationWorker.Audit;
using RemediationWorker.Execution;
using RemediationWorker.Intake;
using RemediationWorker.Playbooks;
using RemediationWorker.Remediation;

namespace RemediationWorker.Tests.TestSupport;

/// <summary>The real composition (AddRemediationWorker) with the edges faked: fake time, a recording audit
/// sink, optionally a live automation runner (style.md #14).</summary>
internal sealed class WorkerFixture : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _provider;

    public WorkerFixture(IConfiguration configuration, IAutomationRunner? liveRunner = null, bool dryRunOnly = false, Action<IServiceCollection>? edges = null)
    {
        var services = new ServiceCollection().AddLogging().AddRemediationWorker(configuration);
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton<IAuditSink>(Audit);
        services.AddSingleton(new WorkerIdentity("test-worker"));
        services.AddSingleton(new RunSettings(Once: true, DryRunOnly: dryRunOnly));
        if (liveRunner is not null)
        {
            services.AddSingleton(liveRunner);
        }

        edges?.Invoke(services);
        _provider = services.BuildServiceProvider();
        Processor = _provider.GetRequiredService<EventProcessor>();
        Catalog = _provider.GetRequiredService<PlaybookCatalog>();
    }

    public FakeTimeProvider Time { get; } = new(Start);

    public RecordingAuditSink Audit { get; } = new();

    public EventProcessor Processor { get; }

    public PlaybookCatalog Catalog { get; }

    public T Get<T>() where T : notnull => _provider.GetRequiredService<T>();

    public ValueTask<EventResult> ProcessAsync(System.Text.Json.Nodes.JsonNode e) => Processor.ProcessAsync(TestEvents.Incoming(e), CancellationToken.None);

    public ValueTask<EventResult> ProcessAsync(IncomingEvent incoming) => Processor.ProcessAsync(incoming, CancellationToken.None);

    public ValueTask DisposeAsync() => _provider.DisposeAsync();
}
