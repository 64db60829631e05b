namespace RemediationWorker.Playbooks;

/// <summary>Per-resource limits of one playbook.</summary>
internal sealed class LimitsOptions
{
    /// <summary>Least time between two runs on the same resource.</summary>
    /// <value>The default value is 15 minutes.</value>
    public TimeSpan Cooldown { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Runs on the same resource within <see cref="AttemptWindow"/>; one more is escalated instead.</summary>
    /// <value>The default value is 3.</value>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>The attempt window; it starts at the first attempt and, once passed, the budget is full again.</summary>
    /// <value>The default value is 6 hours.</value>
    public TimeSpan AttemptWindow { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How long a run may take before it counts as timed out (and how long its lease lasts).</summary>
    /// <value>The default value is 30 minutes.</value>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>At the timeout, stop the execution (<c>StopAutomationExecution</c>, type Cancel) unless its current
    /// step is still inside its own time limit, which is escalated instead (<c>IAutomationRunner.OnDeadlineAsync</c>);
    /// false leaves it running. Either way the run is audited as <c>timed-out</c>.</summary>
    /// <value>The default value is true.</value>
    public bool StopOnTimeout { get; set; } = true;
}
