using System.Text.Json.Nodes;
using RemediationWorker.Audit;

namespace RemediationWorker.IntegrationTests;

/// <summary>Checks audit files the way an auditor would: the executable's own <c>audit verify</c> and
/// <c>audit query</c> over all of them, and the chain verifier in this process.</summary>
internal static class ReplicaAudit
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Each file's chain is intact (verified here and by <c>audit verify FILE…</c>, which may find only the
    /// records of a killed replica unanchored), and <c>audit query
    /// FILE…</c> reads them as one timeline of exactly <paramref name="records"/>, each file in its own order.</summary>
    public static async Task AssertVerifiesAsync(IReadOnlyList<string> paths, IReadOnlyList<StoredAuditRecord> records)
    {
        var total = 0L;
        foreach (var path in paths)
        {
            await using var stream = AuditFiles.OpenRead(path);
            var result = await AuditChainVerifier.VerifyAsync(stream, CancellationToken.None);
            Assert.True(result.IsIntact, $"{path}: line {result.BrokenLine}: {result.Problem}");
            total += result.RecordCount;
        }

        Assert.Equal(records.Count, total);
        // A replica killed before its shutdown digest leaves records no digest anchors: the one finding allowed here.
        var (verifyExit, verifyOutput) = await WorkerProcess.RunCommandAsync(CommandTimeout, ["audit", "verify", .. paths]);
        var unanchored = verifyOutput.Split('\n').Any(line => line.StartsWith("unanchored: ", StringComparison.Ordinal));
        Assert.True(verifyExit == (unanchored ? 1 : 0), verifyOutput);
        Assert.DoesNotContain("broken", verifyOutput, StringComparison.Ordinal);
        Assert.Equal(paths.Count, verifyOutput.Split('\n').Count(line => line.StartsWith("ok ", StringComparison.Ordinal)));

        // One timeline: every record once, each file's records in the file's own order (files merge by time).
        var (queryExit, queryOutput) = await WorkerProcess.RunCommandAsync(CommandTimeout, ["audit", "query", .. paths, "--format", "json"]);
        Assert.True(queryExit == 0, queryOutput.Length > 2000 ? queryOutput[..2000] : queryOutput);
        var fileOf = paths.SelectMany((path, file) => WorkerProcess.ReadAudit(path).Select(r => (r.Hash, file))).ToDictionary(r => r.Hash, r => r.file, StringComparer.Ordinal);
        var timeline = queryOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!).Select(json => (Hash: (string)json["hash"]!, Seq: (long)json["seq"]!)).ToList();
        Assert.Equal(records.Count, timeline.Count);
        Assert.Equal(records.Select(r => r.Hash).Order(StringComparer.Ordinal), timeline.Select(r => r.Hash).Order(StringComparer.Ordinal));
        Assert.All(timeline.GroupBy(r => fileOf[r.Hash]), file => Assert.True(file.Select(r => r.Seq).SequenceEqual(file.Select(r => r.Seq).Order()), $"{paths[file.Key]} out of its own order"));
    }
}
