using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace RemediationWorker.Audit;

/// <summary>Where and how the audit log is written. Bound from the configuration section <c>Audit</c>.</summary>
internal sealed class AuditOptions
{
    public const string SectionName = "Audit";

    /// <summary>Replaced in <see cref="Path"/> by the machine (container) name, so that replicas sharing one
    /// configuration each write their own file.</summary>
    public const string MachineNameToken = "{MachineName}";

    /// <summary>The JSON-lines file the hash chain is appended to; relative paths are relative to the working
    /// directory. May contain <see cref="MachineNameToken"/>.</summary>
    /// <value>The default value is <c>audit/remediation-audit.jsonl</c>.</value>
    [Required]
    public string Path { get; set; } = "audit/remediation-audit.jsonl";

    /// <summary>Whether <see cref="IAuditSink.FlushAsync"/> forces the records onto the disk (fsync). When
    /// <see langword="false"/> it only hands them to the operating system, which survives a crash of the process
    /// but not of the machine: meant for replay and benchmarks.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool FlushToDisk { get; set; } = true;

    /// <summary>Whether every record is also logged (event 4001 <c>AuditRecordWritten</c>), which the host writes
    /// to stdout as JSON.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool LogToStdout { get; set; } = true;

    /// <summary>The image tag named in the <c>worker-started</c> and <c>worker-stopped</c> records; the stack sets it
    /// (<c>Audit__ImageTag</c>, the template's <c>ImageTag</c>).</summary>
    /// <value>The default value is <see langword="null"/>: the records say the tag is not set.</value>
    public string? ImageTag { get; set; }

    /// <summary>Segments, digests, shipping and signing (section <c>Audit:Digests</c>).</summary>
    [ValidateObjectMembers]
    public AuditDigestOptions Digests { get; set; } = new();

    /// <summary>The absolute folder digests are written to: <see cref="AuditDigestOptions.Path"/>, else
    /// <c>digests/</c> beside the audit file.</summary>
    public string ResolveDigestFolder() => string.IsNullOrWhiteSpace(Digests.Path)
        ? AuditSegmentNames.DefaultDigestFolder(ResolveFullPath())
        : System.IO.Path.GetFullPath(Digests.Path);

    /// <summary>The absolute path of the audit file, with <see cref="MachineNameToken"/> replaced.</summary>
    public string ResolveFullPath() =>
        System.IO.Path.GetFullPath(Path.Replace(MachineNameToken, Environment.MachineName, StringComparison.Ordinal));
}
