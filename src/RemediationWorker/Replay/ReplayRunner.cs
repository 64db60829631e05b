using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RemediationWorker.Intake;
using RemediationWorker.Ledger;
using RemediationWorker.Playbooks;
using RemediationWorker.Remediation;

namespace RemediationWorker.Replay;

/// <summary>Runs saved events through the playbooks and guards in dry-run, on a fresh in-memory ledger, with
/// the guards' clock following each event's time. Streams: one event in memory at a time.</summary>
internal sealed class ReplayRunner
{
    private readonly IConfiguration _configuration;
    private readonly Action<IServiceCollection>? _configureServices;

    /// <param name="configureServices">Overrides after the worker's composition (the audit sink, logging).</param>
    public ReplayRunner(IConfiguration configuration, Action<IServiceCollection>? configureServices = null)
    {
        _configuration = configuration;
        _configureServices = configureServices;
    }

    public async Task<ReplaySummary> RunAsync(string eventsPath, ReplayReport report, CancellationToken cancellationToken)
    {
        var clock = new ReplayTimeProvider(DateTimeOffset.UnixEpoch);
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Error));
        services.AddRemediationWorker(_configuration);
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton<ILedger, InMemoryLedger>();
        services.AddSingleton(new WorkerIdentity("replay"));
        services.AddSingleton(new RunSettings(Once: true, DryRunOnly: true));
        _configureServices?.Invoke(services);

        await using var provider = services.BuildServiceProvider();
        var catalog = provider.GetRequiredService<PlaybookCatalog>();
        var processor = provider.GetRequiredService<EventProcessor>();
        var limits = catalog.Current.MatcherOptions;
        var summary = new ReplaySummary();

        var first = true;
        foreach (var incoming in EventFileReader.Read(eventsPath, limits.MaxEventBytes))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var input = EventProcessor.Inspect(incoming, limits);
            if (input.Envelope is { } envelope)
            {
                clock.AdvanceTo(envelope.Time);
            }

            if (first)
            {
                await catalog.AnnounceAsync(cancellationToken); // at the first event's time
                first = false;
            }

            var result = await processor.ProcessAsync(input, cancellationToken);
            summary.Add(result);
            report.WriteVerdicts(input, result);
        }

        report.WriteSummary(summary, catalog.Current.Hash);
        return summary;
    }
}
