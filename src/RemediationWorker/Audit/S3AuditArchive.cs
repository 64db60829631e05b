using System.Net;
using System.Text.RegularExpressions;
using Amazon.S3;
using Amazon.S3.Model;
using RemediationWorker.Configuration;

namespace RemediationWorker.Audit;

/// <summary>The audit bucket (deploy/remediation-worker.yaml, <c>AuditBucket</c>: Object Lock in compliance mode,
/// versioning): every object is written once, with <c>If-None-Match: *</c>, under
/// <c>&lt;prefix&gt;/&lt;workerId&gt;/</c>. The task role may only <c>s3:PutObject</c> there. A write refused because
/// the key exists (412, a retried upload whose first attempt succeeded) counts as stored; it cannot be compared,
/// since the role may not read the bucket, and <c>audit verify</c> checks what is there.</summary>
internal sealed partial class S3AuditArchive : IAuditArchive
{
    private readonly IAmazonS3 _s3;
    private readonly string _bucket;
    private readonly string _keyPrefix;

    public S3AuditArchive(IAmazonS3 s3, string bucket, string prefix, string workerId)
    {
        _s3 = s3;
        _bucket = bucket;
        _keyPrefix = KeyPrefix(prefix, workerId);
    }

    /// <summary>The archive of <c>Audit:Digests:Bucket</c> through the configuration's S3 client (<see cref="S3ClientFactory"/>).</summary>
    public static S3AuditArchive Create(AuditDigestOptions options, string workerId) =>
        new(S3ClientFactory.Create(Environment.GetEnvironmentVariable), options.Bucket!, options.Prefix, workerId);

    /// <summary><c>&lt;prefix&gt;/&lt;workerId&gt;/</c>, the worker id with every character outside
    /// <c>[A-Za-z0-9._-]</c> replaced by <c>-</c> (the default id, <c>host/pid</c>, has a slash).</summary>
    public static string KeyPrefix(string prefix, string workerId)
    {
        var trimmed = prefix.Trim('/');
        var worker = UnsafeKeyCharacters().Replace(workerId, "-");
        return trimmed.Length == 0 ? worker + "/" : $"{trimmed}/{worker}/";
    }

    public async Task PutAsync(string name, string path, CancellationToken cancellationToken)
    {
        var request = new PutObjectRequest
        {
            BucketName = _bucket,
            Key = _keyPrefix + name,
            FilePath = path,
            IfNoneMatch = "*",
            ContentType = name.EndsWith(".json", StringComparison.Ordinal) ? "application/json" : "application/x-ndjson",
        };
        try
        {
            await _s3.PutObjectAsync(request, cancellationToken);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            // already stored by an earlier attempt: objects are never overwritten
        }
    }

    [GeneratedRegex("[^A-Za-z0-9._-]", RegexOptions.CultureInvariant)]
    private static partial Regex UnsafeKeyCharacters();
}
