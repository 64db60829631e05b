namespace RemediationWorker.Playbooks;

/// <summary>Limits that hold over all playbooks and, with a shared ledger, over all replicas.</summary>
internal sealed class GlobalLimitsOptions
{
    /// <summary>Runs started (or planned) per calendar minute.</summary>
    /// <value>The default value is 10.</value>
    public int MaxStartsPerMinute { get; set; } = 10;

    /// <summary>Runs started and not yet finished.</summary>
    /// <value>The default value is 5.</value>
    public int MaxInFlight { get; set; } = 5;
}
