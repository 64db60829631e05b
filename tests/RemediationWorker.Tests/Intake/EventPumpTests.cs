using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RemediationWorker.Audit;
using RemediationWorker.Diagnostics;
using RemediationWorker.Intake;
using RemediationWorker.Remediation;
using RemediationWorker.Tests.Audit;

namespace RemediationWorker.Tests.Intake;

public sealed class EventPumpTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly EventResult Handled = new(EventOutcome.Handled, null, []);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 8, 0, 0, TimeSpan.Zero));
    private readonly CapturingLogger<EventPumpTests> _logger = new();
    private readonly Channel<string> _channel = Channel.CreateUnbounded<string>();
    private readonly RecordingCompleter _completer = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("pump-").FullName;
    private readonly List<string> _steps = [];

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Start_ProcessorDecides_ResultHandedToTheCompleter()
    {
        using var sut = CreateSut((_, _) => ValueTask.FromResult(new EventResult(EventOutcome.Rejected, null, [])));

        await RunAsync(sut, "a");

        Assert.Equal(["complete a Rejected", "finished a"], _completer.Calls);
        Assert.Empty(_logger.Entries);
    }

    [Fact]
    public async Task Start_ProcessorThrows_LoggedAndRetriedLaterThenTheNextHandled()
    {
        using var sut = CreateSut((e, _) => e.Name == "a" ? throw new InvalidOperationException("ledger down") : ValueTask.FromResult(Handled));

        await RunAsync(sut, "a", "b");

        Assert.Equal(["retry a", "finished a", "complete b Handled", "finished b"], _completer.Calls);
        var entry = Assert.Single(_logger.Entries);
        Assert.Equal(1004, entry.EventId.Id);
        Assert.Equal("a", entry.Properties["InputName"]);
        Assert.Equal("ledger down", entry.Exception?.Message);
    }

    [Fact]
    public async Task Start_CompleterThrows_LoggedAndTheItemStillFinished()
    {
        _completer.CompleteFails = true;
        using var sut = CreateSut((_, _) => ValueTask.FromResult(Handled));

        await RunAsync(sut, "a");

        Assert.Equal(["complete a Handled", "finished a"], _completer.Calls);
        Assert.Equal(1004, Assert.Single(_logger.Entries).EventId.Id);
    }

    [Fact]
    public async Task Start_ItemsReadAfterStopping_HandedBackUnstarted()
    {
        var processed = 0;
        using var sut = CreateSut((_, _) => { Interlocked.Increment(ref processed); return ValueTask.FromResult(Handled); });
        using var stopping = new CancellationTokenSource();
        await stopping.CancelAsync();

        await RunAsync(sut, stopping.Token, "a", "b");

        Assert.Equal(0, processed);
        Assert.Equal(["hand back a", "finished a", "hand back b", "finished b"], _completer.Calls);
    }

    [Fact]
    public async Task StopAsync_WorkStillRunningWhenTheGraceEnds_CancelledAndHandedBack()
    {
        using var sut = await StartWithOneInWorkAsync(token => Task.Delay(Timeout.InfiniteTimeSpan, _time, token));

        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(30), _time);
        var stopping = sut.StopAsync(grace.Token);
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(stopping.IsCompleted);
        Assert.False(sut.InFlightCancelled.IsCancellationRequested);
        _time.Advance(TimeSpan.FromSeconds(1));
        await stopping.WaitAsync(Patience, TimeProvider.System);

        Assert.Equal(["hand back a", "finished a"], _completer.Calls);
        Assert.Empty(_logger.Entries);
    }

    [Fact]
    public async Task StopAsync_WorkEndsWithinTheGrace_Completed()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var sut = await StartWithOneInWorkAsync(token => release.Task.WaitAsync(token));

        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(30), _time);
        var stopping = sut.StopAsync(grace.Token);
        _time.Advance(TimeSpan.FromSeconds(29));
        release.SetResult();
        await stopping.WaitAsync(Patience, TimeProvider.System);

        Assert.Equal(["complete a Handled", "finished a"], _completer.Calls);
        Assert.True(sut.InFlightCancelled.IsCancellationRequested); // stopped: the heartbeat that reads it ends
    }

    [Fact]
    public async Task Start_ThreeHandlers_AtMostThreeEventsInWorkAtOnce()
    {
        var inWork = 0;
        var most = 0;
        var threeStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var sut = CreateSut(
            async (_, _) =>
            {
                var now = Interlocked.Increment(ref inWork);
                InterlockedMax(ref most, now);
                if (now == 3)
                {
                    threeStarted.TrySetResult();
                }

                await release.Task;
                Interlocked.Decrement(ref inWork);
                return Handled;
            },
            handlers: 3);
        sut.Start(_channel.Reader, CancellationToken.None);
        foreach (var name in new[] { "a", "b", "c", "d", "e" })
        {
            await _channel.Writer.WriteAsync(name);
        }

        await threeStarted.Task.WaitAsync(Patience, TimeProvider.System);
        Assert.Equal(2, _channel.Reader.Count); // the other two wait for a free handler

        release.SetResult();
        _channel.Writer.Complete();
        await sut.StopAsync(CancellationToken.None).WaitAsync(Patience, TimeProvider.System);

        Assert.Equal(3, most);
        Assert.Equal(5, _completer.Calls.Count(c => c.StartsWith("complete", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Start_AuditUnavailableWithStop_EventKeptPumpHaltedTheRestHandedBack()
    {
        var processed = new List<string>();
        using var sut = CreateSut((e, _) => { processed.Add(e.Name); throw new AuditUnavailableException("disk full"); }, stopWhenAuditUnavailable: true);

        await RunAsync(sut, "a", "b");

        Assert.True(sut.Halted);
        Assert.Equal(["a"], processed);
        Assert.Equal(["retry a", "finished a", "hand back b", "finished b"], _completer.Calls);
        Assert.Empty(_logger.Entries); // the audit gate has said why
    }

    [Fact]
    public async Task Start_AuditUnavailableWithoutStop_RetriedLaterAndTheNextProcessed()
    {
        using var sut = CreateSut((e, _) => e.Name == "a" ? throw new AuditUnavailableException("disk full") : ValueTask.FromResult(Handled));

        await RunAsync(sut, "a", "b");

        Assert.False(sut.Halted);
        Assert.Equal(["retry a", "finished a", "complete b Handled", "finished b"], _completer.Calls);
        Assert.Equal(1004, Assert.Single(_logger.Entries).EventId.Id);
    }

    [Fact]
    public async Task Feed_LocalSource_ReadsTheNextEventOnlyOnceTheLastIsCompleted()
    {
        var source = new ScriptedSource(_steps, "a", "b", "c");
        var (feed, channel) = CreateFeed(source);
        using var pump = new EventPump<EventSourceFeed.Item>((e, _) => { Step($"process {e.Name}"); return ValueTask.FromResult(Handled); }, feed, 1, stopWhenAuditUnavailable: true, _logger);
        pump.Start(channel.Reader, CancellationToken.None);

        await feed.RunAsync(channel.Writer, pump, CancellationToken.None).WaitAsync(Patience, TimeProvider.System);
        await pump.StopAsync(CancellationToken.None).WaitAsync(Patience, TimeProvider.System);

        Assert.Equal(
            ["read a", "process a", "complete a Handled", "read b", "process b", "complete b Handled", "read c", "process c", "complete c Handled", "drained"],
            _steps);
    }

    [Fact]
    public async Task Feed_AuditUnavailableWithOnce_EventKeptAndNothingMoreRead()
    {
        var source = new ScriptedSource(_steps, "a", "b");
        var (feed, channel) = CreateFeed(source);
        using var pump = new EventPump<EventSourceFeed.Item>((_, _) => throw new AuditUnavailableException("disk full"), feed, 1, stopWhenAuditUnavailable: true, _logger);
        pump.Start(channel.Reader, CancellationToken.None);

        await feed.RunAsync(channel.Writer, pump, CancellationToken.None).WaitAsync(Patience, TimeProvider.System);
        await pump.StopAsync(CancellationToken.None).WaitAsync(Patience, TimeProvider.System);

        Assert.True(pump.Halted);
        Assert.Equal(["read a", "complete a RetryLater"], _steps);
    }

    [Fact]
    public async Task Feed_StoppedWhileAnEventIsInWork_WorkCancelledAndTheEventLeftUnread()
    {
        var source = new ScriptedSource(_steps, "a", "b");
        var (feed, channel) = CreateFeed(source);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = false;
        using var pump = new EventPump<EventSourceFeed.Item>(
            async (_, token) =>
            {
                started.SetResult();
                try
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, _time, token);
                }
                catch (OperationCanceledException)
                {
                    cancelled = true;
                    throw;
                }

                return Handled;
            },
            feed,
            1,
            stopWhenAuditUnavailable: false,
            _logger);
        using var stopping = new CancellationTokenSource();
        pump.Start(channel.Reader, stopping.Token);
        var feeding = feed.RunAsync(channel.Writer, pump, stopping.Token);
        await started.Task.WaitAsync(Patience, TimeProvider.System);

        await stopping.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => feeding.WaitAsync(Patience, TimeProvider.System));
        await pump.StopAsync(stopping.Token).WaitAsync(Patience, TimeProvider.System);

        Assert.True(cancelled);
        Assert.Equal(["read a"], _steps);
        Assert.Empty(_logger.Entries);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    private EventPump<string> CreateSut(Func<IncomingEvent, CancellationToken, ValueTask<EventResult>> process, int handlers = 1, bool stopWhenAuditUnavailable = false)
        => new(process, _completer, handlers, stopWhenAuditUnavailable, _logger);

    /// <summary>A one-handler pump with "a" in work (the processor is in <paramref name="work"/>) and the channel completed.</summary>
    private async Task<EventPump<string>> StartWithOneInWorkAsync(Func<CancellationToken, Task> work)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sut = CreateSut(async (_, token) =>
        {
            started.SetResult();
            await work(token);
            return Handled;
        });
        sut.Start(_channel.Reader, CancellationToken.None);
        await _channel.Writer.WriteAsync("a");
        await started.Task.WaitAsync(Patience, TimeProvider.System);
        _channel.Writer.Complete();
        return sut;
    }

    private Task RunAsync(EventPump<string> sut, params string[] names) => RunAsync(sut, CancellationToken.None, names);

    /// <summary>Starts the pump, writes <paramref name="names"/>, completes the channel and waits for the pump to end.</summary>
    private async Task RunAsync(EventPump<string> sut, CancellationToken stopping, params string[] names)
    {
        foreach (var name in names)
        {
            await _channel.Writer.WriteAsync(name);
        }

        _channel.Writer.Complete();
        sut.Start(_channel.Reader, stopping);
        await sut.StopAsync(CancellationToken.None).WaitAsync(Patience, TimeProvider.System);
    }

    private (EventSourceFeed Feed, Channel<EventSourceFeed.Item> Channel) CreateFeed(IEventSource source)
    {
        var heartbeat = new Heartbeat(Options.Create(new HealthOptions { HeartbeatPath = Path.Combine(_directory, ".heartbeat") }), _time, NullLogger<Heartbeat>.Instance);
        var gate = new AuditGate(new MemoryAuditSink(), heartbeat, _time, NullLogger<AuditGate>.Instance);
        return (new EventSourceFeed(source, gate, heartbeat), Channel.CreateBounded<EventSourceFeed.Item>(1));
    }

    private void Step(string step)
    {
        lock (_steps)
        {
            _steps.Add(step);
        }
    }

    /// <summary>Names each call; "finished" is the pump letting go of the item.</summary>
    private sealed class RecordingCompleter : IEventCompleter<string>
    {
        private readonly List<string> _calls = [];

        public bool CompleteFails { get; set; }

        public IReadOnlyList<string> Calls
        {
            get
            {
                lock (_calls)
                {
                    return [.. _calls];
                }
            }
        }

        public IncomingEvent EventOf(string work) => new(work, ReadOnlyMemory<byte>.Empty);

        public Task CompleteAsync(string work, EventResult result)
        {
            Add($"complete {work} {result.Outcome}");
            return CompleteFails ? Task.FromException(new InvalidOperationException("delete refused")) : Task.CompletedTask;
        }

        public Task RetryLaterAsync(string work) => Add($"retry {work}");

        public Task HandBackAsync(string work) => Add($"hand back {work}");

        public void Finished(string work) => Add($"finished {work}");

        private Task Add(string call)
        {
            lock (_calls)
            {
                _calls.Add(call);
            }

            return Task.CompletedTask;
        }
    }

    /// <summary>A sequential source that writes each read and each completion to the shared steps.</summary>
    private sealed class ScriptedSource(List<string> steps, params string[] names) : IEventSource
    {
        public string Description => "scripted";

        public async IAsyncEnumerable<IncomingEvent> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            foreach (var name in names)
            {
                await Task.Yield();
                cancellationToken.ThrowIfCancellationRequested();
                Add($"read {name}");
                yield return new IncomingEvent(name, ReadOnlyMemory<byte>.Empty);
            }

            Add("drained");
        }

        public ValueTask CompleteAsync(IncomingEvent incoming, EventOutcome outcome, CancellationToken cancellationToken)
        {
            Add($"complete {incoming.Name} {outcome}");
            return ValueTask.CompletedTask;
        }

        private void Add(string step)
        {
            lock (steps)
            {
                steps.Add(step);
            }
        }
    }
}
