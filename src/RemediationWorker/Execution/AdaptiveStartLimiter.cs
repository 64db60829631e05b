using Microsoft.Extensions.Options;

namespace RemediationWorker.Execution;

/// <summary>One token bucket shared by every start (all handlers of this worker), whose rate adapts to SSM:
/// additive increase while starts succeed, multiplicative decrease when SSM throttles (at most once per hold,
/// since the calls already sent answer with the old rate), a slow start that doubles the rate each second until
/// the first throttle, and a pause of the whole start path when the account's automation queue is full. A burst
/// of events therefore drains at the rate SSM allows instead of spending calls on throttled retries.
/// Callers wait in line and one timer hands out permits at the rate in force when each is handed out, so a
/// changed rate applies to the very next start, however many handlers wait (a permit reserved ahead at the old
/// rate would keep starting at it for as long as the line is long: handlers ÷ rate). Permits follow a virtual
/// schedule (GCRA), so a timer that fires late hands out the permits that fell due instead of losing them.
/// Time is <see cref="TimeProvider"/>.</summary>
internal sealed class AdaptiveStartLimiter : IDisposable
{
    private readonly TimeProvider _time;
    private readonly SsmAutomationOptions _options;
    private readonly Lock _lock = new();
    private readonly Queue<TaskCompletionSource> _waiters = new();
    private readonly ITimer _timer;
    private double _rate;
    private DateTimeOffset _nextSlot;
    private bool _slowStart = true;
    private DateTimeOffset _holdUntil;
    private DateTimeOffset _pausedUntil;
    private TimeSpan _nextPause;

    public AdaptiveStartLimiter(TimeProvider time, IOptions<SsmAutomationOptions> options)
    {
        _time = time;
        _options = options.Value;
        _rate = Math.Clamp(_options.InitialStartRate, _options.MinStartRate, _options.MaxStartRate);
        _nextSlot = time.GetUtcNow();
        _nextPause = _options.QueueFullPause;
        _timer = time.CreateTimer(static state => ((AdaptiveStartLimiter)state!).ReleaseDue(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Starts per second now.</summary>
    public double CurrentRate
    {
        get
        {
            lock (_lock)
            {
                return _rate;
            }
        }
    }

    /// <summary>Waits for this caller's turn to start an automation: at once when a permit is due and nobody is
    /// waiting, otherwise in line.</summary>
    public ValueTask AcquireAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TaskCompletionSource waiter;
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            if (_waiters.Count == 0 && TryTake(now, TimeSpan.Zero))
            {
                return ValueTask.CompletedTask;
            }

            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Enqueue(waiter);
            if (_waiters.Count == 1)
            {
                Arm(now);
            }
        }

        return cancellationToken.CanBeCanceled ? WaitAsync(waiter, cancellationToken) : new ValueTask(waiter.Task);
    }

    public void Dispose() => _timer.Dispose();

    /// <summary>A start went through: the rate creeps up (doubling per second before the first throttle).</summary>
    public void OnSuccess()
    {
        lock (_lock)
        {
            _rate = Math.Min(_options.MaxStartRate, _slowStart ? _rate + 1 : _rate + (_options.StartRateIncreasePerSecond / _rate));
            _nextPause = _options.QueueFullPause;
        }
    }

    /// <summary>SSM throttled a start: cut the rate, once per hold.</summary>
    public void OnThrottled()
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            _slowStart = false;
            if (now < _holdUntil)
            {
                return;
            }

            _rate = Math.Max(_options.MinStartRate, _rate * _options.StartRateDecreaseFactor);
            var next = now + Interval;
            _nextSlot = _nextSlot > next ? _nextSlot : next;
            _holdUntil = now + _options.ThrottleHold;
            Arm(now);
        }
    }

    /// <summary>The account's automation queue is full: every start waits, and the wait doubles while it lasts.</summary>
    /// <returns>How long starts are paused.</returns>
    public TimeSpan OnQueueFull()
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            _slowStart = false;
            var pause = _nextPause;
            if (now + pause > _pausedUntil)
            {
                _pausedUntil = now + pause;
                _nextPause = TimeSpan.FromTicks(Math.Min(_options.QueueFullMaxPause.Ticks, pause.Ticks * 2));
            }

            _rate = Math.Max(_options.MinStartRate, _rate * _options.StartRateDecreaseFactor);
            Arm(now);
            return _pausedUntil - now;
        }
    }

    private static async ValueTask WaitAsync(TaskCompletionSource waiter, CancellationToken cancellationToken)
    {
        // A cancelled waiter stays in line until the timer reaches it and passes it over without a permit.
        await using (cancellationToken.Register(static (state, token) => ((TaskCompletionSource)state!).TrySetCanceled(token), waiter))
        {
            await waiter.Task;
        }
    }

    /// <summary>Takes the permit due now, if any (under the lock). After a quiet spell up to
    /// <see cref="SsmAutomationOptions.StartBurst"/> permits are due at once; <paramref name="lateness"/> is how far
    /// behind the schedule a permit may still be handed out.</summary>
    private bool TryTake(DateTimeOffset now, TimeSpan lateness)
    {
        var slot = DueSlot(now, lateness);
        if (slot > now)
        {
            return false;
        }

        _nextSlot = slot + Interval;
        return true;
    }

    private TimeSpan Interval => TimeSpan.FromSeconds(1 / _rate);

    private DateTimeOffset DueSlot(DateTimeOffset now, TimeSpan lateness)
    {
        var earliest = now - TimeSpan.FromSeconds((Math.Max(1, _options.StartBurst) - 1) / _rate) - lateness;
        var slot = _nextSlot < earliest ? earliest : _nextSlot;
        return slot < _pausedUntil ? _pausedUntil : slot;
    }

    /// <summary>Sets the timer for the next permit while anyone waits (under the lock).</summary>
    private void Arm(DateTimeOffset now)
    {
        if (_waiters.Count > 0)
        {
            var wait = DueSlot(now, TimeSpan.Zero) - now;
            _timer.Change(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>The timer: hands the permits that fell due to the waiters in line, then waits for the next. A timer
    /// that fires up to one interval late still hands out the permit on its scheduled slot, so timer latency does
    /// not lower the rate; later than that the schedule restarts from now rather than bursting.</summary>
    private void ReleaseDue()
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            while (_waiters.TryPeek(out var waiter))
            {
                if (waiter.Task.IsCompleted)
                {
                    _waiters.Dequeue(); // cancelled while waiting
                    continue;
                }

                var scheduled = _nextSlot;
                if (!TryTake(now, Interval))
                {
                    break;
                }

                _waiters.Dequeue();
                if (!waiter.TrySetResult())
                {
                    _nextSlot = scheduled; // cancelled just now: the permit goes to the next in line
                }
            }

            Arm(now);
        }
    }
}
