using System.Security.Cryptography;

namespace RemediationWorker.Configuration;

/// <summary>One version of the configuration document as read: its bytes, and what identifies it (the S3 object's
/// version id and ETag when it came from S3; always its SHA-256).</summary>
internal sealed record ConfigurationDocument(ConfigurationLocation Location, byte[] Content, string? VersionId, string? ETag)
{
    public string Sha256 { get; } = Convert.ToHexStringLower(SHA256.HashData(Content));

    /// <summary>How audit records and health name this version: <c>s3://b/k version V, sha256 H</c>.</summary>
    public override string ToString()
        => VersionId is null ? $"{Location}, sha256 {Sha256}" : $"{Location} version {VersionId}, sha256 {Sha256}";
}
