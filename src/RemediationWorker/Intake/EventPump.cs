using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using RemediationWorker.Audit;
using RemediationWorker.Diagnostics;
using RemediationWorker.Remediation;

namespace RemediationWorker.Intake;

/// <summary>The one pump of both sources: handlers read work items from a channel, run each event through the
/// processor and hand the result to the source's <see cref="IEventCompleter{TWork}"/>. An exception from the
/// processor is logged (event 1004) and the event kept for a later try; an item taken after shutdown began is handed
/// back unstarted; work still running when the grace ends is cancelled and handed back (<see cref="StopAsync"/>).
/// With <c>stopWhenAuditUnavailable</c> (<c>run --once</c>) an event whose audit cannot be written is kept and the
/// pump halts (<see cref="Halted"/>): every later item is handed back.</summary>
/// <typeparam name="TWork">The source's work item.</typeparam>
internal sealed class EventPump<TWork> : IDisposable
{
    private readonly Func<IncomingEvent, CancellationToken, ValueTask<EventResult>> _process;
    private readonly IEventCompleter<TWork> _completer;
    private readonly int _handlers;
    private readonly bool _stopWhenAuditUnavailable;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _inFlight = new();
    private Task _running = Task.CompletedTask;
    private volatile bool _halted;

    public EventPump(
        Func<IncomingEvent, CancellationToken, ValueTask<EventResult>> process, IEventCompleter<TWork> completer, int handlers, bool stopWhenAuditUnavailable, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(handlers, 1);
        _process = process;
        _completer = completer;
        _handlers = handlers;
        _stopWhenAuditUnavailable = stopWhenAuditUnavailable;
        _logger = logger;
    }

    /// <summary>The audit log could not be written with <c>stopWhenAuditUnavailable</c>: the producer should stop.</summary>
    public bool Halted => _halted;

    /// <summary>Cancelled once in-flight work is given up (the grace ended) or the pump stopped.</summary>
    public CancellationToken InFlightCancelled => _inFlight.Token;

    /// <summary>Starts the handlers. Items read once <paramref name="stopping"/> fires are handed back unstarted.</summary>
    public void Start(ChannelReader<TWork> reader, CancellationToken stopping)
        => _running = Task.WhenAll(Enumerable.Range(0, _handlers).Select(_ => Task.Run(() => HandleAsync(reader, stopping), CancellationToken.None)));

    /// <summary>Once the producers have completed the channel: work in flight may finish until
    /// <paramref name="graceOver"/> fires, then it is cancelled and handed back. Returns when every handler ended.</summary>
    public async Task StopAsync(CancellationToken graceOver)
    {
        try
        {
            await _running.WaitAsync(graceOver);
        }
        catch (OperationCanceledException) when (graceOver.IsCancellationRequested)
        {
            await _inFlight.CancelAsync();
        }

        await _running;
        await _inFlight.CancelAsync();
    }

    public void Dispose() => _inFlight.Dispose();

    private async Task HandleAsync(ChannelReader<TWork> reader, CancellationToken stopping)
    {
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            while (reader.TryRead(out var work))
            {
                var incoming = _completer.EventOf(work);
                try
                {
                    if (stopping.IsCancellationRequested || _halted)
                    {
                        await _completer.HandBackAsync(work); // never started
                        continue;
                    }

                    await HandleOneAsync(work, incoming);
                }
                catch (Exception ex)
                {
                    _logger.EventHandlingFailed(ex, incoming.Name); // the completer failed: the source keeps the event
                }
                finally
                {
                    _completer.Finished(work);
                }
            }
        }
    }

    private async Task HandleOneAsync(TWork work, IncomingEvent incoming)
    {
        EventResult result;
        try
        {
            result = await _process(incoming, _inFlight.Token);
        }
        catch (OperationCanceledException) when (_inFlight.IsCancellationRequested)
        {
            await _completer.HandBackAsync(work); // the grace ended: another taker has it at once
            return;
        }
        catch (AuditUnavailableException) when (_stopWhenAuditUnavailable)
        {
            // Nothing was started without its record (AuditGate logged why); the event is kept and the run ends here.
            _halted = true;
            await _completer.RetryLaterAsync(work);
            return;
        }
        catch (Exception ex)
        {
            _logger.EventHandlingFailed(ex, incoming.Name);
            await _completer.RetryLaterAsync(work);
            return;
        }

        await _completer.CompleteAsync(work, result);
    }
}
