using RemediationWorker.Audit;

namespace RemediationWorker.Tests.Audit;

/// <summary>What audit query and report call "does not verify": a chain rotated into segments is one timeline.</summary>
public sealed class AuditFileCheckTests : IDisposable
{
    private readonly AuditTestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task VerifyAsync_AChainInTwoSegments_BothVerifyAndAnEditInTheLaterOneIsFound()
    {
        var (closed, open) = await SplitChainAsync();

        var intact = await AuditFileCheck.VerifyAsync([open, closed], CancellationToken.None);
        Assert.All(intact, f => Assert.True(f.Result.IsIntact, f.Describe()));
        Assert.Equal(2, intact.Count);

        var lines = File.ReadAllLines(open);
        lines[1] = lines[1].Replace("\"seq\":5", "\"seq\":9", StringComparison.Ordinal);
        await File.WriteAllLinesAsync(open, lines);
        var edited = await AuditFileCheck.VerifyAsync([closed, open], CancellationToken.None);

        Assert.True(edited.Single(f => f.Path == closed).Result.IsIntact);
        Assert.Equal(2, edited.Single(f => f.Path == open).Result.BrokenLine);
    }

    /// <summary>Six records through the real sink, cut as rotation leaves them: seq 1-3 in a closed segment named by
    /// its first seq, 4-6 in the open file.</summary>
    private async Task<(string Closed, string Open)> SplitChainAsync()
    {
        var whole = _dir.File("whole.jsonl");
        var lines = await AuditTestData.WriteChainAsync(whole, 6);
        var (closed, open) = (_dir.File("audit.000000000001.jsonl"), _dir.File("audit.jsonl"));
        await File.WriteAllLinesAsync(closed, lines[..3]);
        await File.WriteAllLinesAsync(open, lines[3..]);
        return (closed, open);
    }
}
