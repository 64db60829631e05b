namespace RemediationWorker.Ledger;

/// <summary>The circuit breaker of one playbook. Closed: counts consecutive failures. Open: until
/// <see cref="OpenUntil"/>. Half-open (open time passed): one trial run; success closes, failure reopens.</summary>
internal sealed record BreakerState(int ConsecutiveFailures, DateTimeOffset? OpenUntil, bool TrialInFlight)
{
    public static readonly BreakerState Closed = new(0, null, false);

    /// <summary>The <see cref="OpenUntil"/> of the opening whose escalation landed (the OpsItem was created).</summary>
    public DateTimeOffset? EscalatedUntil { get; init; }

    /// <summary>Open (or half-open) and its opening not escalated yet: the next handler tries the escalation again.</summary>
    public bool EscalationOwed => OpenUntil is { } until && EscalatedUntil != until;

    public bool IsOpenAt(DateTimeOffset now) => OpenUntil is { } until && now < until;

    public bool IsHalfOpenAt(DateTimeOffset now) => OpenUntil is { } until && now >= until;

    /// <summary>Whether a run may start: closed, or half-open with no trial running yet.</summary>
    public bool AllowsStartAt(DateTimeOffset now) => !IsOpenAt(now) && !(IsHalfOpenAt(now) && TrialInFlight);

    public BreakerState Started(DateTimeOffset now) => IsHalfOpenAt(now) ? this with { TrialInFlight = true } : this;

    /// <summary>The state after a run ended; <paramref name="opened"/> is true when this outcome opened it.</summary>
    public BreakerState Finished(RunOutcome outcome, DateTimeOffset now, int threshold, TimeSpan breakDuration, out bool opened)
    {
        opened = false;
        switch (outcome)
        {
            case RunOutcome.Succeeded:
                return Closed;
            case RunOutcome.Failed or RunOutcome.TimedOut:
                var failures = ConsecutiveFailures + 1;
                if (OpenUntil is not null || failures >= threshold)
                {
                    opened = true;
                    return new BreakerState(failures, now + breakDuration, false);
                }

                return new BreakerState(failures, null, false);
            default:
                return this with { TrialInFlight = false }; // a planned (dry-run) trial, a refusal or a partial fix decides nothing
        }
    }
}
