using System.Security.Cryptography;
using System.Text;
using RemediationWorker.Audit;

namespace RemediationWorker.Tests.Audit;

public sealed class AuditChainVerifierTests : IDisposable
{
    private readonly AuditTestDirectory _dir = new();
    private readonly string _path;

    public AuditChainVerifierTests()
    {
        _path = _dir.File("audit.jsonl");
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task VerifyAsync_IntactChain_ReportsCountAndLastHash()
    {
        var lines = await AuditTestData.WriteChainAsync(_path, 5);

        var result = await VerifyAsync();

        Assert.True(result.IsIntact);
        Assert.Equal(5, result.RecordCount);
        Assert.Contains($"\"hash\":\"{result.LastHash}\"", lines[^1]);
    }

    [Fact]
    public async Task VerifyAsync_EditedField_ReportsHashMismatchAtThatLine()
    {
        var lines = await AuditTestData.WriteChainAsync(_path, 5);
        lines[2] = lines[2].Replace("orders-api", "billing-api", StringComparison.Ordinal);
        AuditTestData.WriteLines(_path, lines);

        var result = await VerifyAsync();

        AssertBrokenAt(result, 3, "hash mismatch");
        Assert.Equal(2, result.RecordCount);
    }

    [Fact]
    public async Task VerifyAsync_EditedHash_ReportsHashMismatchAtThatLine()
    {
        var lines = await AuditTestData.WriteChainAsync(_path, 5);
        var hashStart = lines[1].Length - 66;
        var flipped = lines[1][hashStart] == 'a' ? 'b' : 'a';
        lines[1] = lines[1][..hashStart] + flipped + lines[1][(hashStart + 1)..];
        AuditTestData.WriteLines(_path, lines);

        AssertBrokenAt(await VerifyAsync(), 2, "hash mismatch");
    }

    [Fact]
    public async Task VerifyAsync_EditedFieldWithRecomputedHash_ReportsBrokenLinkOnNextLine()
    {
        var lines = await AuditTestData.WriteChainAsync(_path, 5);
        lines[1] = Rehash(lines[1].Replace("\"decision\":\"matched\"", "\"decision\":\"skipped\"", StringComparison.Ordinal));
        AuditTestData.WriteLines(_path, lines);

        AssertBrokenAt(await VerifyAsync(), 3, "prevHash");
    }

    [Fact]
    public async Task VerifyAsync_FirstLineRemoved_ReportsLine1()
    {
        var lines = await AuditTestData.WriteChainAsync(_path, 5);
        AuditTestData.WriteLines(_path, lines[1..]);

        var result = await VerifyAsync();

        AssertBrokenAt(result, 1, "seq 2 where 1 was expected");
        Assert.Contains("genesis", result.Problem);
    }

    [Fact]
    public async Task VerifyAsync_MiddleLineRemoved_ReportsSeqGapAndPrevHashAtThatPosition()
    {
        var lines = await AuditTestData.WriteChainAsync(_path, 5);
        AuditTestData.WriteLines(_path, lines.Where((_, i) => i != 2));

        var result = await VerifyAsync();

        AssertBrokenAt(result, 3, "seq 4 where 3 was expected");
        Assert.Contains("is not the hash of line 2", result.Problem);
    }

    [Fact]
    public async Task VerifyAsync_LastLineRemoved_IsAValidShorterChainWhoseLastHashShowsTheCut()
    {
        // The chain alone cannot show a cut at the end: the last hash must be compared with an external copy
        // (the AuditRecordWritten log entries), as docs/audit-log.md explains.
        var lines = await AuditTestData.WriteChainAsync(_path, 5);
        AuditTestData.WriteLines(_path, lines[..4]);

        var result = await VerifyAsync();

        Assert.True(result.IsIntact);
        Assert.Equal(4, result.RecordCount);
        Assert.DoesNotContain(result.LastHash!, lines[4][^68..]);
    }

    [Fact]
    public async Task VerifyAsync_TwoLinesSwapped_ReportsFirstSwappedLine()
    {
        var lines = await AuditTestData.WriteChainAsync(_path, 5);
        (lines[1], lines[2]) = (lines[2], lines[1]);
        AuditTestData.WriteLines(_path, lines);

        AssertBrokenAt(await VerifyAsync(), 2, "seq 3 where 2 was expected");
    }

    [Fact]
    public async Task VerifyAsync_LineInserted_ReportsInsertedLine()
    {
        var lines = await AuditTestData.WriteChainAsync(_path, 5);
        AuditTestData.WriteLines(_path, [.. lines[..3], lines[1], .. lines[3..]]);

        AssertBrokenAt(await VerifyAsync(), 4, "seq 2 where 4 was expected");
    }

    [Fact]
    public async Task VerifyAsync_ForgedLineInsertedWithValidOwnHash_ReportsBrokenLink()
    {
        var lines = await AuditTestData.WriteChainAsync(_path, 3);
        var forged = Rehash(lines[1].Replace("\"seq\":2", "\"seq\":3", StringComparison.Ordinal));
        AuditTestData.WriteLines(_path, [lines[0], lines[1], forged, lines[2]]);

        AssertBrokenAt(await VerifyAsync(), 3, "prevHash");
    }

    [Fact]
    public async Task VerifyAsync_TornLastLine_ReportsIncompleteLine()
    {
        var lines = await AuditTestData.WriteChainAsync(_path, 3);
        await File.WriteAllTextAsync(_path, lines[0] + "\n" + lines[1] + "\n" + lines[2][..50]);

        var result = await VerifyAsync();

        AssertBrokenAt(result, 3, "incomplete line");
        Assert.Equal(2, result.RecordCount);
    }

    [Fact]
    public async Task VerifyAsync_LastLineWithoutLineEnd_ReportsIncompleteLineEvenWhenItsJsonIsWhole()
    {
        var lines = await AuditTestData.WriteChainAsync(_path, 2);
        await File.WriteAllTextAsync(_path, lines[0] + "\n" + lines[1]);

        AssertBrokenAt(await VerifyAsync(), 2, "incomplete line");
    }

    [Fact]
    public async Task VerifyAsync_EmptyFile_ReportsZeroRecords()
    {
        await File.WriteAllBytesAsync(_path, []);

        var result = await VerifyAsync();

        Assert.True(result.IsIntact);
        Assert.Equal(0, result.RecordCount);
        Assert.Null(result.LastHash);
    }

    [Fact]
    public async Task VerifyAsync_BlankLine_ReportsEmptyLine()
    {
        var lines = await AuditTestData.WriteChainAsync(_path, 3);
        AuditTestData.WriteLines(_path, [lines[0], string.Empty, lines[1], lines[2]]);

        AssertBrokenAt(await VerifyAsync(), 2, "empty line");
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"seq\":1}")]
    [InlineData("[1,2,3]")]
    public async Task VerifyAsync_LineNotARecord_ReportsInvalidRecord(string garbage)
    {
        var lines = await AuditTestData.WriteChainAsync(_path, 2);
        AuditTestData.WriteLines(_path, [lines[0], garbage, lines[1]]);

        AssertBrokenAt(await VerifyAsync(), 2, "not a valid audit record");
    }

    [Fact]
    public async Task VerifyAsync_DuplicateMember_ReportsInvalidRecord()
    {
        var lines = await AuditTestData.WriteChainAsync(_path, 1);
        AuditTestData.WriteLines(_path, [Rehash(lines[0].Replace("{\"seq\":1,", "{\"seq\":1,\"seq\":1,", StringComparison.Ordinal))]);

        AssertBrokenAt(await VerifyAsync(), 1, "not a valid audit record");
    }

    [Fact]
    public async Task VerifyAsync_HashNotLastMember_ReportsInvalidRecord()
    {
        var lines = await AuditTestData.WriteChainAsync(_path, 1);
        var line = lines[0];
        var hashMember = line[^75..^1]; // ,"hash":"…"
        AuditTestData.WriteLines(_path, ["{" + hashMember[1..] + "," + line[1..^75] + "}"]);

        AssertBrokenAt(await VerifyAsync(), 1, "does not end with the hash member");
    }

    /// <summary>What a forger who knows the rule does: recompute the line's own hash after editing it.</summary>
    private static string Rehash(string line)
    {
        var body = line[..line.LastIndexOf(",\"hash\":", StringComparison.Ordinal)];
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body + "}")));
        return body + ",\"hash\":\"" + hash + "\"}";
    }

    private static void AssertBrokenAt(AuditVerifyResult result, long line, string problem)
    {
        Assert.False(result.IsIntact, "the chain should be broken");
        Assert.Equal(line, result.BrokenLine);
        Assert.Contains(problem, result.Problem);
    }

    private async Task<AuditVerifyResult> VerifyAsync()
    {
        await using var stream = AuditFiles.OpenRead(_path);
        return await AuditChainVerifier.VerifyAsync(stream, CancellationToken.None);
    }
}
