namespace RemediationWorker.Audit;

/// <summary>Signs digests. Test seam; the production signer is KMS (<see cref="KmsAuditDigestSigner"/>).</summary>
internal interface IAuditDigestSigner
{
    /// <summary>The key named in each signed digest (<c>keyId</c>).</summary>
    string KeyId { get; }

    /// <summary>An ECDSA P-256 SHA-256 signature of <paramref name="message"/>, DER-encoded (RFC 3279).</summary>
    Task<byte[]> SignAsync(byte[] message, CancellationToken cancellationToken);
}
