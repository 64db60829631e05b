using System.ComponentModel.DataAnnotations;

namespace RemediationWorker.Audit;

/// <summary>Segments, digests and where they are anchored (section <c>Audit:Digests</c>; docs/audit-log.md,
/// "Segments and digests").</summary>
internal sealed class AuditDigestOptions
{
    /// <summary>How often the open segment is closed, digested and shipped when it holds records.</summary>
    /// <value>The default value is 5 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A segment that reaches this size is closed at once.</summary>
    /// <value>The default value is 64 MiB.</value>
    [Range(4096L, 1L << 40)]
    public long MaxSegmentBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>The folder digests are written to; relative paths are relative to the working directory.</summary>
    /// <value>The default value is <see langword="null"/>: <c>digests/</c> beside the audit file.</value>
    public string? Path { get; set; }

    /// <summary>The S3 bucket closed segments and digests are shipped to (Object Lock, compliance mode); none when
    /// empty. The client is the configuration's (<c>Aws:S3:ServiceUrl</c>, <c>Aws:Region</c>).</summary>
    public string? Bucket { get; set; }

    /// <summary>The key prefix in <see cref="Bucket"/>: keys are <c>&lt;prefix&gt;/&lt;workerId&gt;/…</c>.</summary>
    /// <value>The default value is <c>audit</c>.</value>
    public string Prefix { get; set; } = "audit";

    /// <summary>The KMS key (id, ARN or alias; <c>ECC_NIST_P256</c>, <c>SIGN_VERIFY</c>) that signs every digest;
    /// digests are unsigned when empty.</summary>
    public string? SigningKeyId { get; set; }
}
