namespace RemediationWorker.Playbooks;

/// <summary>What an escalation opens (an OpsItem, once the AWS adapters exist).</summary>
internal sealed class EscalationOptions
{
    /// <value>The default value is true.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>OpsItem severity, "1" (critical) to "4" (low).</summary>
    /// <value>The default value is "2".</value>
    public string Severity { get; set; } = "2";

    /// <summary>OpsItem category: Availability, Cost, Performance, Recovery or Security.</summary>
    /// <value>The default value is "Recovery".</value>
    public string Category { get; set; } = "Recovery";
}
