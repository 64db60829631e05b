using RemediationWorker.Playbooks;

namespace RemediationWorker.Execution;

/// <summary>The keys of the <c>Execution</c> section, as validate checks their shape (WorkerSectionsChecker) and
/// appsettings.schema.json describes them. Nothing binds it: <c>Mode</c> is read by RemediationConfigurationLoader,
/// <c>WorkerId</c> by WorkerIdentity.</summary>
internal sealed class ExecutionSection
{
    public const string SectionName = "Execution";

    /// <summary>A run is live only when this, the stack's ceiling and the playbook all say Live.</summary>
    /// <value>The default value is <see cref="RunMode.DryRun"/>.</value>
    public RunMode Mode { get; set; } = RunMode.DryRun;

    /// <summary>Names this worker in audit records and leases.</summary>
    /// <value>The default value is empty: host name and process id.</value>
    public string WorkerId { get; set; } = string.Empty;
}
