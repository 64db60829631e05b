using System.Text.Json.Nodes;
using RemediationWorker.Audit;

namespace RemediationWorker.IntegrationTests;

/// <summary>Checks audit files the way an auditor would: the executable's own <c>audit verify</c> and
/// <c>audit query</c> over all of them, and the chain verifier in this process.</summary>
internal static class ReplicaAudit
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Each file's chain is intact (verified here and by <c>audit verify FILE…</c>), and <c>audit query
    /// FILE…</c> reads them as one timeline of exactly <paramref name="records"/>, in time order.</summary>
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
        var (verifyExit, verifyOutput) = await WorkerProcess.RunCommandAsync(CommandTimeout, ["audit", "verify", .. paths]);
        Assert.True(verifyExit == 0, verifyOutput);
        Assert.Equal(paths.Count, verifyOutput.Split('\n').Count(line => line.StartsWith("ok ", StringComparison.Ordinal)));

        var (queryExit, queryOutput) = await WorkerProcess.RunCommandAsync(CommandTimeout, ["audit", "query", .. paths, "--format", "json"]);
        Assert.True(queryExit == 0, queryOutput.Length > 2000 ? queryOutput[..2000] : queryOutput);
        var times = queryOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => DateTimeOffset.Parse((string)JsonNode.Parse(line)!["time"]!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(records.Count, times.Count);
        Assert.True(times.Zip(times.Skip(1)).All(pair => pair.First <= pair.Second), "audit query merged the files out of time order");
    }
}
