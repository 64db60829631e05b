namespace RemediationWorker.Ledger;

/// <summary>The attempt budget and cooldown of one (resource, playbook). The window is fixed: it starts at
/// the first attempt after the previous window ended, so one conditional write can check and spend it.</summary>
internal sealed record AttemptState(DateTimeOffset? WindowStart, int Count, DateTimeOffset? LastAttempt, DateTimeOffset? EscalatedUntil)
{
    public static readonly AttemptState None = new(null, 0, null, null);

    /// <summary>True while less than <paramref name="cooldown"/> has passed since the last attempt
    /// (at exactly the cooldown the next attempt is allowed).</summary>
    public bool IsCoolingDown(DateTimeOffset now, TimeSpan cooldown) => LastAttempt is { } last && now < last + cooldown;

    public DateTimeOffset? CooldownEnds(TimeSpan cooldown) => LastAttempt + cooldown;

    /// <summary>Attempts counted in the window that contains <paramref name="now"/>; 0 once it has passed.</summary>
    public int AttemptsAt(DateTimeOffset now, TimeSpan window) => WindowStart is { } start && now < start + window ? Count : 0;

    public bool IsExhausted(DateTimeOffset now, TimeSpan window, int maxAttempts) => AttemptsAt(now, window) >= maxAttempts;

    public DateTimeOffset? WindowEnds(TimeSpan window) => WindowStart + window;

    /// <summary>Whether this exhaustion was already escalated (one escalation per exhausted window).</summary>
    public bool IsEscalatedAt(DateTimeOffset now) => EscalatedUntil is { } until && now < until;

    /// <summary>The state after one more attempt at <paramref name="now"/>.</summary>
    public AttemptState Spend(DateTimeOffset now, TimeSpan window)
        => AttemptsAt(now, window) == 0
            ? new AttemptState(now, 1, now, null)
            : this with { Count = Count + 1, LastAttempt = now };
}
