namespace RemediationWorker.Replay;

/// <summary>The guards' clock during a replay: it follows each event's <c>time</c>, so cooldowns, budgets,
/// rate limits and breakers fire as they would have on that day. It never goes back: an event older than
/// one already replayed is decided at the later time (CloudFormation delivers out of order).</summary>
internal sealed class ReplayTimeProvider : TimeProvider
{
    /// <summary>The earliest <c>time</c> a replayed event may have.</summary>
    public static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>How far ahead of the wall clock a replayed event's <c>time</c> may be (clock skew between senders).</summary>
    public static readonly TimeSpan MaxAhead = TimeSpan.FromHours(24);

    private DateTimeOffset _now;

    public ReplayTimeProvider(DateTimeOffset start) => _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    /// <summary>Why <paramref name="time"/> cannot drive the guards' clock (rule <c>time-out-of-range</c>), or
    /// <see langword="null"/>: an event from before 2000 or from years ahead would put every guard's window out of
    /// reach (or past <see cref="DateTimeOffset.MaxValue"/>), for every event after it.</summary>
    public static string? OutOfRange(DateTimeOffset time, DateTimeOffset wallClock)
        => time < Earliest
            ? $"time-out-of-range: time {time.UtcDateTime:O} is before {Earliest.UtcDateTime:O}"
            : time > wallClock + MaxAhead
                ? $"time-out-of-range: time {time.UtcDateTime:O} is more than 24 h ahead of the wall clock ({wallClock.UtcDateTime:O})"
                : null;

    public void AdvanceTo(DateTimeOffset time)
    {
        if (time > _now)
        {
            _now = time.ToUniversalTime();
        }
    }
}
