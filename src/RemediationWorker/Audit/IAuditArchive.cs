namespace RemediationWorker.Audit;

/// <summary>Where closed segments and digests are anchored outside the task. Test seam; the production archive is
/// the S3 bucket with Object Lock (<see cref="S3AuditArchive"/>).</summary>
internal interface IAuditArchive
{
    /// <summary>Stores the file <paramref name="path"/> under <paramref name="name"/> (<c>&lt;segment&gt;</c> or
    /// <c>digests/&lt;digest&gt;</c>) for this worker, never over an existing object; an object already there with
    /// the same bytes counts as stored.</summary>
    Task PutAsync(string name, string path, CancellationToken cancellationToken);
}
