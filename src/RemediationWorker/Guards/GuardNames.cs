namespace RemediationWorker.Guards;

/// <summary>The names guards and input checks write into audit records; auditors filter on them.</summary>
internal static class GuardNames
{
    public const string Duplicate = "duplicate";
    public const string KillSwitch = "kill-switch";
    public const string AllowList = "allow-list";
    public const string Lease = "lease";
    public const string AttemptBudget = "attempt-budget";
    public const string Cooldown = "cooldown";
    public const string RateLimit = "rate-limit";
    public const string InFlight = "in-flight";
    public const string Breaker = "breaker";

    /// <summary>The event was caused by a run of this playbook (one of the run's caused ids is in it).</summary>
    public const string Loop = "loop";

    /// <summary>The resource path did not resolve to a value.</summary>
    public const string Resource = Playbooks.RenderedPlaybook.ResourceCheck;

    /// <summary>A runbook parameter failed to render or failed its check.</summary>
    public const string Parameters = Playbooks.RenderedPlaybook.ParametersCheck;

    /// <summary>The ledger could not be read or written: the event was deferred.</summary>
    public const string Ledger = "ledger";

    /// <summary>An escalation (OpsItem) that could not be created: the event is deferred and it is tried again.</summary>
    public const string Escalation = "escalation";

    /// <summary>Live mode without an automation runner; SSM not starting a run for now; a runbook's own verdict.</summary>
    public const string Execution = "execution";
}
