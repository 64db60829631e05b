using RemediationWorker.Playbooks;

namespace RemediationWorker.Execution;

/// <summary>The <c>Execution</c> section. <c>Execution__Mode=Live</c> in the task definition turns remediation
/// on; each playbook must also say <c>mode: Live</c>.</summary>
internal sealed class ExecutionOptions
{
    public const string SectionName = "Execution";

    /// <value>The default value is <see cref="RunMode.DryRun"/>.</value>
    public RunMode Mode { get; set; } = RunMode.DryRun;

    /// <summary>Names this worker in audit records and leases.</summary>
    /// <value>The default value is empty: host name and process id.</value>
    public string WorkerId { get; set; } = string.Empty;
}
