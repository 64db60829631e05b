using Microsoft.Extensions.Options;

namespace RemediationWorker.Execution;

/// <summary>One token bucket shared by every start (all handlers of this worker), whose rate adapts to SSM:
/// additive increase while starts succeed, multiplicative decrease when SSM throttles (at most once per hold,
/// since the calls already sent answer with the old rate), a slow start that doubles the rate each second until
/// the first throttle, and a pause of the whole start path when the account's automation queue is full. A burst
/// of events therefore drains at the rate SSM allows instead of spending calls on throttled retries. Time is <see cref="TimeProvider"/>.</summary>
internal sealed class AdaptiveStartLimiter
{
    private readonly TimeProvider _time;
    private readonly SsmAutomationOptions _options;
    private readonly Lock _lock = new();
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

    /// <summary>Waits for this caller's turn to start an automation. Each caller reserves the next free slot under
    /// the lock and waits for it on its own, so callers never queue behind each other's timers.</summary>
    public async ValueTask AcquireAsync(CancellationToken cancellationToken)
    {
        TimeSpan wait;
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            var slack = TimeSpan.FromSeconds((Math.Max(1, _options.StartBurst) - 1) / _rate);
            var slot = _nextSlot < now - slack ? now - slack : _nextSlot;
            if (slot < _pausedUntil)
            {
                slot = _pausedUntil;
            }

            _nextSlot = slot + TimeSpan.FromSeconds(1 / _rate);
            wait = slot - now;
        }

        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, cancellationToken);
        }
    }

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
            var next = now + TimeSpan.FromSeconds(1 / _rate);
            _nextSlot = _nextSlot > next ? _nextSlot : next;
            _holdUntil = now + _options.ThrottleHold;
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
            return _pausedUntil - now;
        }
    }
}
