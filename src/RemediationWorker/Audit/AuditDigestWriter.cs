using System.Text;

namespace RemediationWorker.Audit;

/// <summary>Writes the digests of one chain into its digest folder, each linked to the one before (docs/audit-log.md,
/// "Segments and digests"), signing them when a signer is configured.</summary>
internal sealed class AuditDigestWriter
{
    private readonly string _folder;
    private readonly string _chainName;
    private readonly string _workerId;
    private readonly IAuditDigestSigner? _signer;
    private string _previousHash = AuditDigest.GenesisHash;

    public AuditDigestWriter(string folder, string chainName, string workerId, IAuditDigestSigner? signer)
    {
        _folder = folder;
        _chainName = chainName;
        _workerId = workerId;
        _signer = signer;
    }

    /// <summary>The last sequence number a digest of this chain anchors (0 before the first).</summary>
    public long AnchoredSeq { get; private set; }

    /// <summary>Continues after the chain's last digest in the folder. Refuses when that digest anchors records the
    /// audit file no longer holds, or a head the file does not have: the file was cut or rewritten.</summary>
    public void Continue(string auditPath, long headSeq, ReadOnlySpan<byte> headHash, Func<long, string?> hashAt)
    {
        if (!Directory.Exists(_folder))
        {
            return;
        }

        var last = Directory.EnumerateFiles(_folder, _chainName + ".*" + AuditSegmentNames.DigestExtension)
            .Select(path => (Path: path, Ok: AuditSegmentNames.TryParseDigest(path, out var name, out var seq) && name == _chainName, Seq: seq))
            .Where(d => d.Ok)
            .OrderBy(d => d.Seq)
            .LastOrDefault();
        if (last.Path is null)
        {
            return;
        }

        var bytes = File.ReadAllBytes(last.Path);
        if (!AuditDigest.TryParse(bytes, out var digest, out var problem))
        {
            throw new InvalidDataException($"The last digest {last.Path} of the audit log {auditPath} is {problem}. Refusing to continue its digests.");
        }

        if (digest!.LastSeq > headSeq)
        {
            throw AuditSegmentFile.Refuse(auditPath, $"seq {headSeq} while the digest {last.Path} anchors seq {digest.LastSeq}: records were removed");
        }

        var anchored = digest.LastSeq == headSeq ? Encoding.ASCII.GetString(headHash) : hashAt(digest.LastSeq);
        if (anchored is not null && anchored != digest.HeadHash)
        {
            throw AuditSegmentFile.Refuse(auditPath, $"a record {digest.LastSeq} whose hash is not the one the digest {last.Path} anchors: the file was rewritten");
        }

        _previousHash = AuditDigest.HashOf(bytes);
        AnchoredSeq = digest.LastSeq;
    }

    /// <summary>Writes (and forces onto the disk) the digest of <paramref name="segment"/>, which holds
    /// <paramref name="firstSeq"/>..<paramref name="lastSeq"/> ending with <paramref name="headHash"/>.</summary>
    /// <returns>The digest file's path.</returns>
    public async Task<string> WriteAsync(string segment, long firstSeq, long lastSeq, string headHash, DateTimeOffset time, CancellationToken cancellationToken)
    {
        var digest = new AuditDigest
        {
            WorkerId = _workerId,
            Segment = segment,
            FirstSeq = firstSeq,
            LastSeq = lastSeq,
            HeadHash = headHash,
            Time = time,
            PreviousDigestHash = _previousHash,
            KeyId = _signer?.KeyId,
        };
        if (_signer is not null)
        {
            var signature = await _signer.SignAsync(digest.SignedBytes(), cancellationToken);
            digest = digest with { Signature = Convert.ToBase64String(signature) };
        }

        var bytes = digest.ToBytes();
        Directory.CreateDirectory(_folder);
        var path = Path.Combine(_folder, AuditSegmentNames.Digest(_chainName, lastSeq));
        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 0))
        {
            await file.WriteAsync(bytes, cancellationToken);
            file.Flush(flushToDisk: true);
        }

        _previousHash = AuditDigest.HashOf(bytes);
        AnchoredSeq = lastSeq;
        return path;
    }
}
