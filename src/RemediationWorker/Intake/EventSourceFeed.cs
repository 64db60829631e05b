using System.Threading.Channels;
using RemediationWorker.Audit;
using RemediationWorker.Diagnostics;
using RemediationWorker.Remediation;

namespace RemediationWorker.Intake;

/// <summary>Feeds a sequential <see cref="IEventSource"/> (the local directory) into the <see cref="EventPump{TWork}"/>
/// one event at a time: each goes in with a completion the feed awaits before it asks the source for the next, so the
/// source has completed every event before it reads on. Nothing is taken while the audit log cannot be written
/// (<see cref="AuditGate"/>). It is also the pump's completer for the source.</summary>
internal sealed class EventSourceFeed : IEventCompleter<EventSourceFeed.Item>
{
    private readonly IEventSource _source;
    private readonly AuditGate _auditGate;
    private readonly Heartbeat _heartbeat;

    public EventSourceFeed(IEventSource source, AuditGate auditGate, Heartbeat heartbeat)
    {
        _source = source;
        _auditGate = auditGate;
        _heartbeat = heartbeat;
    }

    /// <summary>Reads the source into <paramref name="writer"/>, each event once the one before is completed, until
    /// the source is drained or <paramref name="pump"/> halted; completes the writer. Throws
    /// <see cref="OperationCanceledException"/> when <paramref name="stoppingToken"/> fires.</summary>
    public async Task RunAsync(ChannelWriter<Item> writer, EventPump<Item> pump, CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var incoming in _source.ReadAllAsync(stoppingToken))
            {
                await _auditGate.WaitUntilWritableAsync(stoppingToken);
                var item = new Item(incoming);
                await writer.WriteAsync(item, stoppingToken);
                await item.Finished.WaitAsync(stoppingToken);
                if (pump.Halted)
                {
                    return; // the audit cannot be written: nothing more is read
                }

                _heartbeat.Beat(); // the source beats after each scan too, also when idle (Health:HeartbeatPath)
            }
        }
        finally
        {
            writer.TryComplete();
        }
    }

    public IncomingEvent EventOf(Item work) => work.Incoming;

    // Progress is recorded whatever the shutdown: the work it records is done.
    public Task CompleteAsync(Item work, EventResult result) => _source.CompleteAsync(work.Incoming, result.Outcome, CancellationToken.None).AsTask();

    public Task RetryLaterAsync(Item work) => _source.CompleteAsync(work.Incoming, EventOutcome.RetryLater, CancellationToken.None).AsTask();

    /// <summary>Nothing to do: an event not completed stays unread and is read again at the next start.</summary>
    public Task HandBackAsync(Item work) => Task.CompletedTask;

    public void Finished(Item work) => work.Finish();

    /// <summary>One event in the pump, with the completion the feed awaits.</summary>
    internal sealed class Item
    {
        private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Item(IncomingEvent incoming) => Incoming = incoming;

        public IncomingEvent Incoming { get; }

        public Task Finished => _finished.Task;

        public void Finish() => _finished.TrySetResult();
    }
}
