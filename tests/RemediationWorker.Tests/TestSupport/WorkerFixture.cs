using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using RemediationWorker.Audit;
using RemediationWorker.Escalation;
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

        // OpsItems land, unless a test's edges bring a sink of their own (the last one registered is used).
        services.AddSingleton(Escalations);

        edges?.Invoke(services);
        _provider = services.BuildServiceProvider();
        Processor = _provider.GetRequiredService<EventProcessor>();
        Catalog = _provider.GetRequiredService<PlaybookCatalog>();
    }

    public FakeTimeProvider Time { get; } = new(Start);

    public RecordingAuditSink Audit { get; } = new();

    /// <summary>Where escalations go by default: accepted, and recorded for the test to check.</summary>
    public IEscalationSink Escalations { get; } = Substitute.For<IEscalationSink>();

    public EventProcessor Processor { get; }

    public PlaybookCatalog Catalog { get; }

    public T Get<T>() where T : notnull => _provider.GetRequiredService<T>();

    public ValueTask<EventResult> ProcessAsync(System.Text.Json.Nodes.JsonNode e) => Processor.ProcessAsync(TestEvents.Incoming(e), CancellationToken.None);

    public ValueTask<EventResult> ProcessAsync(IncomingEvent incoming) => Processor.ProcessAsync(incoming, CancellationToken.None);

    public ValueTask DisposeAsync() => _provider.DisposeAsync();
}
