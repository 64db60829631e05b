namespace RemediationWorker.Playbooks;

/// <summary>The per-playbook circuit breaker: after <see cref="FailureThreshold"/> runbook failures in a
/// row the playbook stops for <see cref="BreakDuration"/>; then one trial run decides whether it closes.</summary>
internal sealed class BreakerOptions
{
    /// <summary>Consecutive failed or timed-out runs that open the breaker.</summary>
    /// <value>The default value is 3.</value>
    public int FailureThreshold { get; set; } = 3;

    /// <summary>How long an open breaker stops the playbook before a trial run.</summary>
    /// <value>The default value is 30 minutes.</value>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromMinutes(30);
}
