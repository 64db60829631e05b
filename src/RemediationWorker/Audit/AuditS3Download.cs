using Amazon.S3;
using Amazon.S3.Model;

namespace RemediationWorker.Audit;

/// <summary>Copies an archive prefix (<c>s3://bucket/prefix</c>: <c>&lt;prefix&gt;/&lt;workerId&gt;/&lt;segment&gt;</c> and
/// <c>&lt;prefix&gt;/&lt;workerId&gt;/digests/&lt;digest&gt;</c>) into a local folder of the same shape, so that
/// <c>audit verify</c> checks it as it checks local files. Read-only on the bucket.</summary>
internal static class AuditS3Download
{
    public static bool TryParse(string location, out string bucket, out string prefix)
    {
        bucket = prefix = string.Empty;
        if (!location.StartsWith("s3://", StringComparison.Ordinal))
        {
            return false;
        }

        var rest = location["s3://".Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        bucket = slash < 0 ? rest : rest[..slash];
        prefix = slash < 0 ? string.Empty : rest[(slash + 1)..].Trim('/');
        return bucket.Length > 0;
    }

    /// <summary>Downloads every object under the prefix (only digests when <paramref name="digestsOnly"/>) into
    /// <paramref name="target"/>; returns the worker folders found.</summary>
    public static async Task<IReadOnlyList<string>> DownloadAsync(
        IAmazonS3 s3, string bucket, string prefix, string target, bool digestsOnly, CancellationToken cancellationToken)
    {
        var keyPrefix = prefix.Length == 0 ? string.Empty : prefix + "/";
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = keyPrefix };
        var workers = new SortedSet<string>(StringComparer.Ordinal);
        ListObjectsV2Response page;
        do
        {
            page = await s3.ListObjectsV2Async(request, cancellationToken);
            foreach (var item in page.S3Objects ?? [])
            {
                var relative = item.Key[keyPrefix.Length..];
                var parts = relative.Split('/');
                var isDigest = parts.Length == 3 && parts[1] == "digests";
                if ((parts.Length != 2 && !isDigest) || (digestsOnly && !isDigest) || parts.Any(p => p is "" or "." or ".."))
                {
                    continue; // not an archive object
                }

                workers.Add(parts[0]);
                var local = Path.Combine([target, .. parts]);
                Directory.CreateDirectory(Path.GetDirectoryName(local)!);
                using var response = await s3.GetObjectAsync(bucket, item.Key, cancellationToken);
                await using var file = File.Create(local);
                await response.ResponseStream.CopyToAsync(file, cancellationToken);
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);

        return [.. workers.Select(w => Path.Combine(target, w))];
    }
}
