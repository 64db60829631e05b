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

    /// <summary>The resource path did not resolve to a value.</summary>
    public const string Resource = "resource";

    /// <summary>A runbook parameter failed to render or failed its check.</summary>
    public const string Parameters = "parameters";

    /// <summary>The ledger could not be read or written: the event was deferred.</summary>
    public const string Ledger = "ledger";

    /// <summary>Live mode without an automation runner.</summary>
    public const string Execution = "execution";
}
