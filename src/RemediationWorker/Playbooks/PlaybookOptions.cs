namespace RemediationWorker.Playbooks;

/// <summary>One playbook: which events, which resource, which runbook, which limits.</summary>
internal sealed class PlaybookOptions
{
    /// <summary>Stable id, used in audit records, ledger keys and error messages.</summary>
    public string Id { get; set; } = string.Empty;

    public string Description { get; set; } = string.Empty;

    /// <value>The default value is true.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>The EventBridge event pattern, as the JSON text of the pattern.</summary>
    /// <remarks>In appsettings.json it may be written as a JSON object (read back from the configuration
    /// keys by <see cref="PatternSectionReader"/>) or as a JSON string holding the pattern; either way
    /// this property holds the JSON text after loading. Its setter is not public so the binder leaves it to
    /// the reader (the binder drops a whole list item it cannot bind, silently).</remarks>
    public string? Pattern { get; internal set; }

    /// <summary>Path into the event of the resource acted on: <c>detail.stack-id</c>, <c>resources[0]</c>.</summary>
    public string Resource { get; set; } = string.Empty;

    public RunbookOptions Runbook { get; set; } = new();

    public LimitsOptions Limits { get; set; } = new();

    public EscalationOptions Escalation { get; set; } = new();

    /// <summary>This playbook's mode. A run is live only when this and <c>Execution:Mode</c> are both Live.</summary>
    /// <value>The default value is <see cref="RunMode.DryRun"/>: remediation is opt-in.</value>
    public RunMode Mode { get; set; } = RunMode.DryRun;

    /// <summary>When true, later playbooks that match the same event act too.</summary>
    /// <value>The default value is false: the first match wins.</value>
    public bool Continue { get; set; }
}
