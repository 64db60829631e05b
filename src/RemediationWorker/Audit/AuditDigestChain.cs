using System.Security.Cryptography;

namespace RemediationWorker.Audit;

/// <summary>The digests of one audit chain, read from a digest folder and checked as a chain of their own: each
/// one's <c>previousDigestHash</c> the hash of the one before (64 zeros on the first), sequence numbers rising,
/// each one naming its chain's segment, its file name stating its last seq, and, with a public key, each signature
/// valid. <see cref="Valid"/> holds the digests up to the first that fails.</summary>
internal sealed class AuditDigestChain
{
    private readonly Dictionary<long, AuditDigest> _byLastSeq;

    private AuditDigestChain(string folder, List<(string Path, AuditDigest Digest)> valid, string? problem, string? problemPath)
    {
        Folder = folder;
        Valid = valid;
        _byLastSeq = valid.ToDictionary(v => v.Digest.LastSeq, v => v.Digest); // last seqs rise strictly: one each
        Problem = problem;
        ProblemPath = problemPath;
    }

    public string Folder { get; }

    /// <summary>The digests in order, up to (not including) the first that fails.</summary>
    public IReadOnlyList<(string Path, AuditDigest Digest)> Valid { get; }

    /// <summary>What is wrong with the first digest that fails, or null.</summary>
    public string? Problem { get; }

    public string? ProblemPath { get; }

    /// <summary>The last seq the valid digests anchor (0 when none).</summary>
    public long AnchoredSeq => Valid.Count == 0 ? 0 : Valid[^1].Digest.LastSeq;

    /// <summary>The digest whose last seq is <paramref name="seq"/>, if any.</summary>
    public AuditDigest? At(long seq) => _byLastSeq.GetValueOrDefault(seq);

    public static AuditDigestChain Read(string folder, string chainName, ECDsa? publicKey)
    {
        var files = Directory.EnumerateFiles(folder, chainName + ".*" + AuditSegmentNames.DigestExtension)
            .Select(path => (Path: path, Named: AuditSegmentNames.TryParseDigest(path, out var name, out var seq) && name == chainName, Seq: seq))
            .Where(f => f.Named)
            .OrderBy(f => f.Seq)
            .ToList();
        var valid = new List<(string, AuditDigest)>(files.Count);
        var previousHash = AuditDigest.GenesisHash;
        AuditDigest? previous = null;
        foreach (var (path, _, seq) in files)
        {
            var bytes = File.ReadAllBytes(path);
            var problem = Check(bytes, chainName, seq, previous, previousHash, publicKey, out var digest);
            if (problem is not null)
            {
                return new AuditDigestChain(folder, valid, problem, path);
            }

            valid.Add((path, digest!));
            previous = digest;
            previousHash = AuditDigest.HashOf(bytes);
        }

        return new AuditDigestChain(folder, valid, null, null);
    }

    private static string? Check(
        byte[] bytes, string chainName, long namedSeq, AuditDigest? previous, string previousHash, ECDsa? publicKey, out AuditDigest? digest)
    {
        if (!AuditDigest.TryParse(bytes, out digest, out var invalid))
        {
            return invalid;
        }

        if (digest!.LastSeq != namedSeq)
        {
            return $"the file name says seq {namedSeq} but the digest anchors seq {digest.LastSeq}: a digest was copied or replayed";
        }

        if (digest.Segment != AuditSegmentNames.Segment(chainName, digest.FirstSeq) || digest.FirstSeq > digest.LastSeq)
        {
            return $"segment {digest.Segment} with seq {digest.FirstSeq}..{digest.LastSeq} is not a segment of {chainName}";
        }

        if (publicKey is not null && Signature(digest, publicKey) is { } unsigned)
        {
            return unsigned;
        }

        if (digest.PreviousDigestHash != previousHash)
        {
            return previous is null
                ? $"previousDigestHash {digest.PreviousDigestHash[..12]} where the first digest has 64 zeros: an earlier digest was removed"
                : $"previousDigestHash {digest.PreviousDigestHash[..12]} is not the hash of the digest before (seq {previous.LastSeq}, {previousHash[..12]}): a digest was removed, replaced or edited";
        }

        // A digest continues its segment (a shutdown digest, then the rotation's) or anchors the next one.
        if (previous is not null && digest.FirstSeq != previous.FirstSeq && digest.FirstSeq != previous.LastSeq + 1)
        {
            return $"starts at seq {digest.FirstSeq} where {previous.LastSeq + 1} (the next segment) or {previous.FirstSeq} (the same) was expected";
        }

        return null;
    }

    private static string? Signature(AuditDigest digest, ECDsa publicKey)
    {
        if (digest.Signature is null)
        {
            return "unsigned, while a public key was given";
        }

        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(digest.Signature);
        }
        catch (FormatException)
        {
            return "a signature that is not base64";
        }

        return publicKey.VerifyData(digest.SignedBytes(), signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)
            ? null
            : "a signature that does not verify with the public key: the digest was edited or signed by another key";
    }
}
