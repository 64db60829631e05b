namespace RemediationWorker.Replay;

/// <summary>The guards' clock during a replay: it follows each event's <c>time</c>, so cooldowns, budgets,
/// rate limits and breakers fire as they would have on that day. It never goes back: an event older than
/// one already replayed is decided at the later time (CloudFormation delivers out of order).</summary>
internal sealed class ReplayTimeProvider : TimeProvider
{
    private DateTimeOffset _now;

    public ReplayTimeProvider(DateTimeOffset start) => _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void AdvanceTo(DateTimeOffset time)
    {
        if (time > _now)
        {
            _now = time.ToUniversalTime();
        }
    }
}
