namespace RemediationWorker.Playbooks;

/// <summary>The <c>Remediation</c> section: the playbooks and the global guards. Reloaded when the file
/// changes; validated by <see cref="RemediationConfigurationLoader"/>, which names the playbook and field.</summary>
/// <remarks>Property names are the configuration keys (camelCase in JSON, any case in environment
/// variables). <c>appsettings.schema.json</c> describes the same shape; a test keeps them in step.</remarks>
internal sealed class RemediationOptions
{
    public const string SectionName = "Remediation";

    /// <summary>Stops every remediation, in dry-run too, while set.</summary>
    /// <value>The default value is false.</value>
    public bool KillSwitch { get; set; }

    /// <summary>Accounts (12 digits) whose events may be remediated.</summary>
    /// <value>The default value is empty: any account.</value>
    public List<string> AllowedAccounts { get; set; } = [];

    /// <summary>Regions whose events may be remediated.</summary>
    /// <value>The default value is empty: any region.</value>
    public List<string> AllowedRegions { get; set; } = [];

    /// <summary>Event sources (such as <c>aws.cloudformation</c>) that may trigger a remediation.</summary>
    /// <value>The default value is empty: any source.</value>
    public List<string> AllowedSources { get; set; } = [];

    /// <summary>The SSM Automation documents a playbook may run; a playbook naming another is refused.</summary>
    /// <value>The default value is empty: the project's own documents, <see cref="ProjectDocuments"/>.</value>
    public List<string> AllowedDocuments { get; set; } = [];

    /// <summary>The documents deploy/remediation-worker.yaml creates.</summary>
    public static IReadOnlyList<string> ProjectDocuments { get; } =
        ["RemediationWorker-ContinueUpdateRollback", "RemediationWorker-RemediateStackDrift", "RemediationWorker-RetryCodeBuildBuild", "RemediationWorker-DriftSweep"];

    /// <summary><see cref="AllowedDocuments"/>, or <see cref="ProjectDocuments"/> when none is configured.</summary>
    public IReadOnlyList<string> EffectiveAllowedDocuments => AllowedDocuments.Count > 0 ? AllowedDocuments : ProjectDocuments;

    /// <summary>Limits over all playbooks.</summary>
    public GlobalLimitsOptions Limits { get; set; } = new();

    /// <summary>The per-playbook circuit breaker.</summary>
    public BreakerOptions Breaker { get; set; } = new();

    /// <summary>In order: the first enabled playbook whose pattern matches wins, unless it says
    /// <see cref="PlaybookOptions.Continue"/>.</summary>
    public List<PlaybookOptions> Playbooks { get; set; } = [];
}
