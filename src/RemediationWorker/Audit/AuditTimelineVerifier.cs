using RemediationWorker.Commands;
using System.Globalization;
using System.Security.Cryptography;

namespace RemediationWorker.Audit;

/// <summary>Verifies the files of one audit chain (its segments and its open file) as one timeline against the
/// chain's digests (docs/audit-log.md, "Checking: audit verify"): each line as <see cref="AuditChainVerifier"/> does,
/// the segments continuing one another, each digest's head hash found at its seq, nothing missing after a digest
/// (a cut-off tail), and every record anchored. Prints one line per file, <c>ok N records  FILE</c> or
/// <c>broken at line N: WHAT  FILE</c>, then <c>unanchored: …</c> or <c>anchored: …</c> for the chain.</summary>
internal sealed class AuditTimelineVerifier
{
    private readonly TextWriter _output;
    private readonly TextWriter _error;
    private readonly ECDsa? _publicKey;

    public AuditTimelineVerifier(TextWriter output, TextWriter error, ECDsa? publicKey)
    {
        _output = output;
        _error = error;
        _publicKey = publicKey;
    }

    /// <summary>0 while everything verified; 1 after a finding; 2 after a file that could not be read.</summary>
    public int ExitCode { get; private set; }

    /// <param name="files">The chain's files (any order).</param>
    /// <param name="digestFolder">The folder of its digests, or null when there is none.</param>
    /// <param name="complete">Whether every segment is expected among <paramref name="files"/> (a folder was given), so
    /// that a first file after seq 1 means missing segments (for files, a digest of the seq before it vouches for them).</param>
    public async Task VerifyChainAsync(
        string chainName, IReadOnlyList<string> files, string? digestFolder, bool complete, CancellationToken cancellationToken)
    {
        var digests = digestFolder is null ? null : AuditDigestChain.Read(digestFolder, chainName, _publicKey);
        if (digests?.Problem is { } digestProblem)
        {
            await _output.WriteLineAsync($"broken digest: {digestProblem}  {digests.ProblemPath}");
            ExitCode = Math.Max(ExitCode, ExitCodes.Finding);
        }

        var ordered = new List<(string Path, long FirstSeq)>(files.Count);
        foreach (var path in files)
        {
            try
            {
                ordered.Add((path, await FirstSeqAsync(path, cancellationToken)));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await _error.WriteLineAsync($"error: cannot read {path}: {ex.Message}");
                ExitCode = ExitCodes.Unreadable;
                return;
            }
        }

        ordered.Sort((a, b) => a.FirstSeq.CompareTo(b.FirstSeq));
        var results = new List<(string Path, AuditVerifyResult Result)>(ordered.Count);
        AuditVerifyResult? previous = null;
        string? previousPath = null;
        foreach (var (path, firstSeq) in ordered)
        {
            var start = Start(firstSeq, previous, previousPath, digests, complete);
            await using var stream = AuditFiles.OpenRead(path);
            var result = AuditSegmentNames.SegmentFirstSeq(path) is { } named && named != firstSeq && firstSeq != long.MaxValue
                ? new AuditVerifyResult(0, 1, $"seq {firstSeq} where the segment's name says {named}: segments were renamed or swapped", null)
                : await AuditChainVerifier.VerifyAsync(stream, start, (seq, hash) => Anchor(seq, hash, digests), cancellationToken);
            results.Add((path, result));
            if (!result.IsIntact)
            {
                break; // the first failure is the one reported: what follows it cannot be placed in the timeline
            }

            previous = result;
            previousPath = path;
        }

        var lastPath = results.Count == 0 ? null : results[^1].Path;
        var intact = results.Count == ordered.Count && results.All(r => r.Result.IsIntact);
        if (intact && lastPath is not null && digests is not null && CutOff(results[^1].Result, digests) is { } cut)
        {
            results[^1] = (lastPath, cut);
            intact = false;
        }

        foreach (var (path, result) in results)
        {
            await _output.WriteLineAsync(result.IsIntact
                ? $"ok {result.RecordCount} records  {path}"
                : $"broken at line {result.BrokenLine}: {result.Problem}  {path}");
        }

        if (!intact)
        {
            ExitCode = Math.Max(ExitCode, ExitCodes.Finding);
            return;
        }

        await ReportAnchoringAsync(chainName, ordered, results, digests, digestFolder);
    }

    private static async Task<long> FirstSeqAsync(string path, CancellationToken cancellationToken)
        => (await FirstRecordAsync(path, cancellationToken))?.Seq ?? long.MaxValue; // empty or unreadable first line: verified last, where the line check reports it

    /// <summary>The first record of a file; null when it is empty or its first line cannot be read.</summary>
    internal static async Task<StoredAuditRecord?> FirstRecordAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = AuditFiles.OpenRead(path);
        var reader = new AuditLineReader(stream);
        try
        {
            return await reader.ReadLineAsync(cancellationToken) && AuditChain.TryParse(reader.Current.Span, out var record, out _) ? record : null;
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>What the first line of a file must continue: the file before it, the digest that anchors the seq
    /// before it, or the genesis.</summary>
    private static AuditChainStart Start(long firstSeq, AuditVerifyResult? previous, string? previousPath, AuditDigestChain? digests, bool complete)
    {
        if (previous is not null)
        {
            var expected = previous.LastSeq + 1;
            return new AuditChainStart(expected, previous.LastHash ?? AuditChainStart.Genesis.PrevHash, $"the hash of the last record of {previousPath} (seq {previous.LastSeq})");
        }

        if (firstSeq <= 1 || firstSeq == long.MaxValue)
        {
            return AuditChainStart.Genesis;
        }

        if (!complete && digests?.At(firstSeq - 1) is { } anchor)
        {
            return new AuditChainStart(firstSeq, anchor.HeadHash, $"the head hash {anchor.HeadHash[..12]} the digest of seq {anchor.LastSeq} anchors");
        }

        // Nothing vouches for what came before: the earlier segment is not given (or, for a folder, missing) and no
        // digest anchors its end.
        return AuditChainStart.Genesis with
        {
            Describe = $"the genesis hash (64 zeros): the segments before seq {firstSeq} are {(complete ? "missing" : "not given")} and no digest anchors seq {firstSeq - 1}",
        };
    }

    private static string? Anchor(long seq, string hash, AuditDigestChain? digests)
    {
        if (digests?.At(seq) is not { } digest || digest.HeadHash == hash)
        {
            return null;
        }

        return $"hash {hash[..12]} where the digest of seq {seq} anchors {digest.HeadHash[..12]}: the record, or one before it, was rewritten and rehashed";
    }

    /// <summary>The last file's result turned broken when a digest anchors records after its end.</summary>
    private static AuditVerifyResult? CutOff(AuditVerifyResult last, AuditDigestChain digests)
    {
        if (digests.AnchoredSeq <= last.LastSeq)
        {
            return null;
        }

        var digest = digests.Valid[^1].Digest;
        var problem = string.Create(CultureInfo.InvariantCulture,
            $"seq {last.LastSeq + 1} expected: the file ends at seq {last.LastSeq} but the digest {Path.GetFileName(digests.Valid[^1].Path)} anchors seq {digest.FirstSeq}..{digest.LastSeq} (head {digest.HeadHash[..12]}): records were cut off");
        return last with { BrokenLine = last.LineCount + 1, Problem = problem };
    }

    private async Task ReportAnchoringAsync(
        string chainName,
        List<(string Path, long FirstSeq)> ordered,
        List<(string Path, AuditVerifyResult Result)> results,
        AuditDigestChain? digests,
        string? digestFolder)
    {
        if (digests is null)
        {
            await _error.WriteLineAsync(
                $"note: no digests for {string.Join(", ", ordered.Select(o => o.Path))} (no digests/ beside it, no --digests): records cut from its end would not be detected");
            return;
        }

        var records = results.Where(r => r.Result.RecordCount > 0).ToList();
        if (records.Count == 0)
        {
            return;
        }

        var first = ordered.First(o => o.FirstSeq != long.MaxValue).FirstSeq;
        var last = records[^1].Result.LastSeq;
        var anchored = digests.AnchoredSeq;
        if (anchored < last)
        {
            var after = Math.Max(anchored + 1, first);
            var since = digests.Valid.Count == 0
                ? $"no digest of {chainName} in {digestFolder}"
                : $"after the last digest {Path.GetFileName(digests.Valid[^1].Path)} (seq {anchored})";
            await _output.WriteLineAsync($"unanchored: seq {after}..{last}, {last - after + 1} records {since}  {records[^1].Path}");
            ExitCode = Math.Max(ExitCode, ExitCodes.Finding);
            return;
        }

        var signed = _publicKey is null ? "" : ", signatures verified";
        await _output.WriteLineAsync($"anchored: seq {first}..{last} by {digests.Valid.Count} digests{signed}  {digestFolder}");
    }
}
