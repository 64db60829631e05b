namespace RemediationWorker.Audit;

/// <summary>Whether audit files verify, for the commands that read records (<c>audit query</c>, <c>audit report</c>):
/// they warn about a file that does not, and still show it. The segments of one chain are checked in seq order, each
/// continuing the one before; a first segment that starts after seq 1 is checked from its own first link (what came
/// before it, and the digests, are <c>audit verify</c>'s to vouch for).</summary>
internal static class AuditFileCheck
{
    /// <summary>Each file's verification; a file that cannot be opened gets no entry (the reader reports it).</summary>
    public static async Task<IReadOnlyList<FileVerification>> VerifyAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var files = new List<(string Path, string Chain, StoredAuditRecord? First)>(paths.Count);
        foreach (var path in paths)
        {
            try
            {
                files.Add((path, AuditSegmentNames.ChainName(path), await AuditTimelineVerifier.FirstRecordAsync(path, cancellationToken)));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Reported by the reader, which cannot open it either.
            }
        }

        var results = new List<FileVerification>(files.Count);
        foreach (var chain in files.GroupBy(f => f.Chain, StringComparer.Ordinal))
        {
            AuditVerifyResult? previous = null;
            foreach (var (path, _, first) in chain.OrderBy(f => f.First?.Seq ?? long.MaxValue))
            {
                var start = previous is { IsIntact: true, LastHash: { } lastHash } && first?.Seq == previous.LastSeq + 1
                    ? new AuditChainStart(first.Seq, lastHash, $"the hash of the last record of the segment before (seq {previous.LastSeq})")
                    : first is { Seq: > 1 } ? new AuditChainStart(first.Seq, first.PrevHash, "its own first link") : AuditChainStart.Genesis;
                await using var stream = AuditFiles.OpenRead(path);
                previous = await AuditChainVerifier.VerifyAsync(stream, start, null, cancellationToken);
                results.Add(new FileVerification(path, previous));
            }
        }

        return results;
    }

    /// <summary>Writes <c>warning: FILE does not verify: broken at line N: WHAT</c> for each broken file; true when any is.</summary>
    public static async Task<bool> WarnAsync(IEnumerable<FileVerification> files, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(error);
        var broken = false;
        foreach (var file in files.Where(f => !f.Result.IsIntact))
        {
            broken = true;
            await error.WriteLineAsync($"warning: {file.Path} does not verify: {file.Describe()}; its records are shown, but may have been altered (run 'audit verify')");
        }

        return broken;
    }
}
