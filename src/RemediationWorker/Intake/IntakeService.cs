using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RemediationWorker.Audit;
using RemediationWorker.Diagnostics;
using RemediationWorker.Playbooks;
using RemediationWorker.Remediation;

namespace RemediationWorker.Intake;

/// <summary>The worker loop: reads the event source, runs each event through the
/// <see cref="EventProcessor"/> and completes it with the outcome. A failure with one event is logged and
/// the event left for retry; cancellation stops the loop. With <c>--once</c> the host stops when the source
/// is drained. While the audit log cannot be written nothing is taken (<see cref="AuditGate"/>); with
/// <c>--once</c> the run ends there instead (exit 3).</summary>
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

        try
        {
            await foreach (var incoming in _source.ReadAllAsync(stoppingToken))
            {
                await _auditGate.WaitUntilWritableAsync(stoppingToken);
                EventOutcome outcome;
                try
                {
                    outcome = (await _processor.ProcessAsync(incoming, stoppingToken)).Outcome;
                }
                catch (AuditUnavailableException) when (_settings.Once)
                {
                    // Nothing was started without its record; the event stays unread. The run ends here (exit 3).
                    await _source.CompleteAsync(incoming, EventOutcome.RetryLater, stoppingToken);
                    _lifetime.StopApplication();
                    return;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    _logger.EventHandlingFailed(ex, incoming.Name);
                    outcome = EventOutcome.RetryLater;
                }

                await _source.CompleteAsync(incoming, outcome, stoppingToken);
                _heartbeat.Beat(); // the source beats after each poll, also when idle (Health:HeartbeatPath)
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return; // shutdown
        }

        if (_settings.Once)
        {
            _lifetime.StopApplication();
        }
    }
}
