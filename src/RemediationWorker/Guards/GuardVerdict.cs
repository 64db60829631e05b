namespace RemediationWorker.Guards;

/// <summary>A guard's answer: allowed, or stopped with the guard's name and a reason an auditor can read.</summary>
internal readonly record struct GuardVerdict(GuardOutcome Outcome, string? Guard, string? Reason)
{
    /// <summary>For <see cref="GuardOutcome.Deferred"/>: when the event is worth trying again.</summary>
    public DateTimeOffset? RetryAt { get; init; }

    public static GuardVerdict Allowed { get; } = new(GuardOutcome.Allowed, null, null);

    public bool IsAllowed => Outcome == GuardOutcome.Allowed;

    public static GuardVerdict Skip(string guard, string reason) => new(GuardOutcome.Skipped, guard, reason);

    public static GuardVerdict Escalate(string guard, string reason) => new(GuardOutcome.Escalated, guard, reason);

    public static GuardVerdict Defer(string guard, string reason, DateTimeOffset retryAt) => new(GuardOutcome.Deferred, guard, reason) { RetryAt = retryAt };

    public static GuardVerdict TakeOver(string guard, string reason) => new(GuardOutcome.TakeOver, guard, reason);
}
