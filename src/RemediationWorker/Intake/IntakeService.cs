using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RemediationWorker.Audit;
using RemediationWorker.Diagnostics;
using RemediationWorker.Playbooks;
using RemediationWorker.Remediation;

namespace RemediationWorker.Intake;

/// <summary>The intake of a sequential <see cref="IEventSource"/> (<c>Intake:Source=Local</c>): the
/// <see cref="EventSourceFeed"/> hands one event at a time to a one-handler <see cref="EventPump{TWork}"/>, which runs
/// it through the <see cref="EventProcessor"/> and completes it before the next is read. Cancellation stops it; the
/// event in work stays unread. With <c>--once</c> the host stops when the source is drained. While the audit log
/// cannot be written nothing is taken (<see cref="AuditGate"/>); with <c>--once</c> the run ends there instead
/// (exit 3).</summary>
internal sealed class IntakeService : BackgroundService
{
    private readonly IEventSource _source;
    private readonly EventProcessor _processor;
    private readonly PlaybookCatalog _catalog;
    private readonly RunSettings _settings;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<IntakeService> _logger;
    private readonly Heartbeat _heartbeat;
    private readonly AuditGate _auditGate;

    public IntakeService(IEventSource source, EventProcessor processor, PlaybookCatalog catalog, RunSettings settings, IHostApplicationLifetime lifetime, ILogger<IntakeService> logger, Heartbeat heartbeat, AuditGate auditGate)
    {
        _auditGate = auditGate;
        _heartbeat = heartbeat;
        _source = source;
        _processor = processor;
        _catalog = catalog;
        _settings = settings;
        _lifetime = lifetime;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!await _auditGate.TryAsync(_catalog.AnnounceAsync, stoppingToken) && _settings.Once)
        {
            _lifetime.StopApplication(); // exit 3: nothing was read
            return;
        }

        var channel = Channel.CreateBounded<EventSourceFeed.Item>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        var feed = new EventSourceFeed(_source, _auditGate, _heartbeat);
        using var pump = new EventPump<EventSourceFeed.Item>(_processor.ProcessAsync, feed, handlers: 1, stopWhenAuditUnavailable: _settings.Once, _logger);
        pump.Start(channel.Reader, stoppingToken);
        try
        {
            await feed.RunAsync(channel.Writer, pump, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return; // shutdown
        }
        finally
        {
            await pump.StopAsync(stoppingToken); // no grace: at shutdown the event in work is cancelled at once
        }

        if (_settings.Once)
        {
            _lifetime.StopApplication(); // drained, or halted because the audit cannot be written (exit 3)
        }
    }
}
