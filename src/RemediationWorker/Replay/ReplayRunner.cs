using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RemediationWorker.Audit;
using RemediationWorker.Intake;
using RemediationWorker.Ledger;
using RemediationWorker.Playbooks;
using RemediationWorker.Remediation;

namespace RemediationWorker.Replay;

/// <summary>Runs saved events through the playbooks and guards in dry-run, on a fresh in-memory ledger, with
/// the guards' clock following each event's time. Streams: one event in memory at a time. The audit goes to
/// its own chain beside the worker's (<c>audit/remediation-audit.replay.jsonl</c> for the default
/// <c>Audit:Path</c>), handed to the OS without fsync and not echoed to stdout.</summary>
internal sealed class ReplayRunner
{
    private readonly IConfiguration _configuration;
    private readonly Action<IServiceCollection>? _configureServices;
    private readonly TimeProvider _wallClock;

    /// <param name="configureServices">Overrides after the worker's composition (the audit sink, logging).</param>
    /// <param name="wallClock">The real time, against which an event's <c>time</c> may be at most a day ahead.</param>
    public ReplayRunner(IConfiguration configuration, Action<IServiceCollection>? configureServices = null, TimeProvider? wallClock = null)
    {
        _configuration = configuration;
        _configureServices = configureServices;
        _wallClock = wallClock ?? TimeProvider.System;
    }

    public async Task<ReplaySummary> RunAsync(string eventsPath, ReplayReport report, CancellationToken cancellationToken)
    {
        var clock = new ReplayTimeProvider(DateTimeOffset.UnixEpoch);
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Error));
        services.PostConfigure<AuditOptions>(audit =>
        {
            audit.Path = ReplayAuditPath(audit.Path);
            audit.FlushToDisk = false;
            audit.LogToStdout = false;
        });
        services.AddRemediationWorker(_configuration);
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton<ILedger, InMemoryLedger>();
        services.AddSingleton(new WorkerIdentity("replay"));
        services.AddSingleton(new RunSettings(Once: true, DryRunOnly: true));
        _configureServices?.Invoke(services);
        var sinkDescriptor = services.Last(d => d.ServiceType == typeof(IAuditSink));
        services.AddSingleton(provider => new ReplayAuditSink(ServiceDescriptorInstances.Create<IAuditSink>(provider, sinkDescriptor)));
        services.AddSingleton<IAuditSink>(provider => provider.GetRequiredService<ReplayAuditSink>());

        await using var provider = services.BuildServiceProvider();
        var catalog = provider.GetRequiredService<PlaybookCatalog>();
        var processor = provider.GetRequiredService<EventProcessor>();
        var replaySink = provider.GetRequiredService<ReplayAuditSink>();
        var summary = new ReplaySummary();

        var first = true;
        // One event at a time, each done with before the next is read: the lines can share one body buffer.
        foreach (var incoming in EventFileReader.Read(eventsPath, catalog.Current.Limits.MaxEventBytes, reuseBody: true))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var input = EventProcessor.Inspect(incoming, catalog.Current);
            if (input.Envelope is { } envelope)
            {
                if (ReplayTimeProvider.OutOfRange(envelope.Time, _wallClock.GetUtcNow()) is { } timeError)
                {
                    input = input with { Envelope = null, Error = timeError }; // rejected; the clock does not move
                }
                else
                {
                    clock.AdvanceTo(envelope.Time);
                }
            }

            if (first)
            {
                await catalog.AnnounceAsync(cancellationToken); // at the first event's time
                first = false;
            }

            var result = await processor.ProcessAsync(input, cancellationToken);
            summary.Add(result);
            report.WriteVerdicts(input, result, replaySink.Planned);
            replaySink.TakePlanned();
        }

        await provider.GetRequiredService<ReplayAuditSink>().FlushAtEndAsync(cancellationToken);
        report.WriteSummary(summary, catalog.Current.Hash);
        return summary;
    }

    /// <summary><c>audit/remediation-audit.jsonl</c> becomes <c>audit/remediation-audit.replay.jsonl</c>: a replay
    /// never writes into the worker's own chain.</summary>
    internal static string ReplayAuditPath(string path)
        => Path.ChangeExtension(path, ".replay" + (Path.GetExtension(path) is { Length: > 0 } extension ? extension : ".jsonl"));
}
