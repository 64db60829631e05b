using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using RemediationWorker.Audit;

namespace RemediationWorker.Tests.Audit;

/// <summary>Reading a line back (<see cref="StoredAuditRecord.TryRead"/> through <see cref="AuditChain.TryParse"/>): what the
/// formatter writes comes back as the record it was, and the reader is strict where a forger could hide something.</summary>
public sealed partial class StoredAuditRecordTests : IDisposable
{
    private readonly AuditTestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void TryParse_EveryFieldSet_ReadsBackTheRecordAndItsChainMembers()
    {
        // What the line can hold exactly: UTC milliseconds, whole milliseconds, well-formed text.
        var written = AuditLineBytesCases.Full with
        {
            Time = new DateTimeOffset(2026, 12, 3, 7, 45, 12, 345, TimeSpan.Zero),
            RetryAt = new DateTimeOffset(2026, 12, 3, 7, 50, 0, 999, TimeSpan.Zero),
            Duration = TimeSpan.FromMilliseconds(90_500),
            Reason = "line one\nline two\ttab \u0001 control, \U0001F600 outside the BMP, é",
        };
        using var formatter = new AuditLineFormatter();
        formatter.ContinueAfter(Encoding.ASCII.GetBytes(AuditLineBytesCases.PrevHash));
        var line = formatter.Format(written, 12_345)[..^1].ToArray();
        formatter.Commit();

        Assert.True(AuditChain.TryParse(line, out var read, out var problem), problem);

        foreach (var property in typeof(AuditRecord).GetProperties())
        {
            Assert.True(Equals(property.GetValue(written), property.GetValue(read)) || IsSameDictionary(property.GetValue(written), property.GetValue(read)), property.Name);
        }

        Assert.Equal(12_345, read.Seq);
        Assert.Equal(AuditLineBytesCases.PrevHash, read.PrevHash);
        Assert.Equal(Encoding.ASCII.GetString(formatter.Head), read.Hash);
    }

    [Fact]
    public void TryParse_TextNotValidUtf16_ReadsBackTheReplacementCharacter()
    {
        var read = Read(Format(AuditLineBytesCases.Bare with { Reason = "a lone \ud800 surrogate" }));

        Assert.Equal("a lone \uFFFD surrogate", read.Reason);
    }

    [Theory]
    [InlineData("\"seq\":1,", "\"seq\":1,\"seq\":1,", "seq appears twice")]
    [InlineData("\"decision\":\"matched\",", "\"decision\":\"matched\",\"decision\":\"skipped\",", "decision appears twice")]
    [InlineData("\"eventId\":\"evt-1\",", "\"eventId\":\"evt-1\",\"eventId\":null,", "eventId appears twice")]
    [InlineData("\"eventId\":\"evt-1\",", "\"eventId\":\"evt-1\",\"\\u0065ventId\":\"evt-2\",", "eventId appears twice")] // the same name, escaped
    [InlineData("\"parameters\":{\"StackName\":\"a\"}", "\"parameters\":{\"StackName\":\"a\",\"StackName\":\"b\"}", "parameters.StackName appears twice")]
    [InlineData("\"configHash\":\"c0ffee12\",", "\"configHash\":\"c0ffee12\",\"ticket\":1,\"ticket\":2,", "ticket appears twice")] // unknown members too
    public void TryParse_MemberTwice_IsNotARecord(string member, string twice, string expected)
    {
        Assert.Equal($"not a valid audit record: the member {expected}", ProblemOf(Edited(member, twice)));
    }

    [Theory]
    [InlineData("seq")]
    [InlineData("time")]
    [InlineData("workerId")]
    [InlineData("decision")]
    [InlineData("configHash")]
    [InlineData("prevHash")]
    public void TryParse_RequiredMemberNull_IsNotARecord(string member)
    {
        Assert.Equal($"not a valid audit record: the member {member} is null", ProblemOf(Replaced(member, $"\"{member}\":null")));
    }

    [Theory]
    [InlineData("workerId")]
    [InlineData("configHash")]
    [InlineData("decision")]
    public void TryParse_RequiredMemberMissing_IsNotARecord(string member)
    {
        Assert.Equal($"not a valid audit record: the member {member} is missing", ProblemOf(Replaced(member, "\"ticket\":0")));
    }

    [Fact]
    public void TryParse_OptionalMemberNull_ReadsAsAbsent()
    {
        var read = Read(Edited("\"eventId\":\"evt-1\"", "\"eventId\":null"));

        Assert.Null(read.EventId);
    }

    [Theory]
    [InlineData("\"durationMs\":5", "\"durationMs\":\"5\"", "durationMs is String, not Number")]
    [InlineData("\"durationMs\":5", "\"durationMs\":5.5", "")]
    [InlineData("\"durationMs\":5", "\"durationMs\":9223372036854775807", "durationMs 9223372036854775807 is beyond any duration")]
    [InlineData("\"eventId\":\"evt-1\"", "\"eventId\":17", "eventId is Number, not String")]
    [InlineData("\"time\":\"2025-06-01T12:00:00.123Z\"", "\"time\":\"yesterday\"", "")]
    [InlineData("\"parameters\":{\"StackName\":\"a\"}", "\"parameters\":{\"StackName\":null}", "parameters.StackName is Null, not String")]
    [InlineData("\"parameters\":{\"StackName\":\"a\"}", "\"parameters\":[\"a\"]", "parameters is StartArray, not StartObject")]
    public void TryParse_ValueNotOfItsMembersForm_IsNotARecord(string member, string edited, string expected)
    {
        Assert.StartsWith($"not a valid audit record: {expected}", ProblemOf(Edited(member, edited)));
    }

    [Fact]
    public void TryParse_EscapedMemberName_ReadsTheMember()
    {
        var read = Read(Edited("\"eventId\":", "\"\\u0065ventId\":"));

        Assert.Equal("evt-1", read.EventId);
    }

    [Fact]
    public async Task UnknownMember_IsAllowedAndCoveredByTheHash()
    {
        var path = await WriteChainAsync();
        var lines = AuditTestData.ReadLines(path);
        lines[1] = Edit(lines[1], ",\"prevHash\":", ",\"ticket\":{\"id\":\"OPS-1\",\"links\":[1,2]},\"prevHash\":");
        AuditTestData.WriteLines(path, Rechain(lines));

        Assert.True(AuditChain.TryParse(Encoding.UTF8.GetBytes(AuditTestData.ReadLines(path)[1]), out var read, out var problem), problem);
        Assert.Equal(AuditDecision.Started, read.Decision);
        Assert.Equal("evt-2", read.EventId);
        Assert.True((await VerifyAsync(path)).IsIntact);
        var (exitCode, output, _) = await QueryAsync(path, AuditQueryFormat.Json);
        Assert.Equal(0, exitCode);
        Assert.Equal(AuditTestData.ReadLines(path), output.TrimEnd('\n').Split('\n'));

        // The hash covers it: the member cannot be changed without the line's hash.
        var edited = AuditTestData.ReadLines(path);
        edited[1] = Edit(edited[1], "OPS-1", "OPS-2");
        AuditTestData.WriteLines(path, edited);
        Assert.Contains("hash mismatch", (await VerifyAsync(path)).Problem);
    }

    /// <summary>The decisions are a closed list (docs/audit-log.md), only ever extended with a new version: a decision
    /// this version does not know makes the line invalid, as any other value not of its member's form, rather than a
    /// record that <c>--decision</c> could never select and the report could not explain.</summary>
    [Fact]
    public async Task UnknownDecision_IsNotARecordForVerifyAndQuery()
    {
        var path = await WriteChainAsync();
        var lines = AuditTestData.ReadLines(path);
        lines[1] = Edit(lines[1], "\"decision\":\"started\"", "\"decision\":\"reconsidered\"");
        AuditTestData.WriteLines(path, Rechain(lines));

        Assert.False(AuditChain.TryParse(Encoding.UTF8.GetBytes(AuditTestData.ReadLines(path)[1]), out _, out var problem));
        Assert.Equal("not a valid audit record: decision 'reconsidered' is not one of this version's decisions", problem);
        var verified = await VerifyAsync(path);
        Assert.False(verified.IsIntact);
        Assert.Equal(2, verified.BrokenLine);
        var (exitCode, output, error) = await QueryAsync(path, AuditQueryFormat.Csv);
        Assert.Equal(1, exitCode);
        Assert.Contains($"{path}:2: skipped, not a valid audit record: decision 'reconsidered'", error);
        Assert.Equal(["evt-1", "evt-3"], output.TrimEnd('\n').Split('\n').Skip(1).Select(row => row.Split(',')[5]));
    }

    private static AuditRecord WithParameters() => AuditLineBytesCases.Bare with
    {
        Decision = AuditDecision.Matched,
        EventId = "evt-1",
        Parameters = new Dictionary<string, string> { ["StackName"] = "a" },
        Duration = TimeSpan.FromMilliseconds(5),
    };

    private static string Edited(string member, string edited) => Rehash(Edit(Format(WithParameters()), member, edited));

    /// <summary>The line with member <paramref name="member"/> replaced by <paramref name="replacement"/>, rehashed.</summary>
    private static string Replaced(string member, string replacement) =>
        Rehash(MemberValue().Replace(Format(WithParameters()), m => m.Groups["name"].Value == member ? replacement : m.Value));

    private static StoredAuditRecord Read(string line)
    {
        Assert.True(AuditChain.TryParse(Encoding.UTF8.GetBytes(line), out var read, out var problem), problem);
        return read;
    }

    private static string ProblemOf(string line)
    {
        Assert.False(AuditChain.TryParse(Encoding.UTF8.GetBytes(line), out _, out var problem));
        return problem;
    }

    private static string Format(AuditRecord record)
    {
        using var formatter = new AuditLineFormatter();
        return Encoding.UTF8.GetString(formatter.Format(record, 1)[..^1]);
    }

    private static string Edit(string line, string member, string edited)
    {
        Assert.Contains(member, line);
        return line.Replace(member, edited, StringComparison.Ordinal);
    }

    /// <summary>What a forger who knows the rule does: recompute the line's own hash after editing it.</summary>
    private static string Rehash(string line)
    {
        var body = line[..line.LastIndexOf(",\"hash\":", StringComparison.Ordinal)];
        return body + ",\"hash\":\"" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body + "}"))) + "\"}";
    }

    /// <summary>Rehashes every line and links each to the one before: a chain that verifies whatever the lines hold.</summary>
    private static string[] Rechain(string[] lines)
    {
        var previous = Encoding.ASCII.GetString(AuditChain.GenesisHash);
        var chained = new string[lines.Length];
        for (var i = 0; i < lines.Length; i++)
        {
            chained[i] = Rehash(PrevHashMember().Replace(lines[i], $"\"prevHash\":\"{previous}\""));
            previous = chained[i][^66..^2];
        }

        return chained;
    }

    private async Task<string> WriteChainAsync()
    {
        var path = _dir.File("audit.jsonl");
        await using var sink = AuditTestData.OpenSink(path);
        (AuditDecision Decision, string EventId)[] records = [(AuditDecision.Matched, "evt-1"), (AuditDecision.Started, "evt-2"), (AuditDecision.Succeeded, "evt-3")];
        foreach (var (decision, eventId) in records)
        {
            await sink.WriteAsync(AuditTestData.Record(AuditTestData.Start, decision, eventId: eventId), CancellationToken.None);
        }

        return path;
    }

    private static async Task<AuditVerifyResult> VerifyAsync(string path)
    {
        await using var stream = AuditFiles.OpenRead(path);
        return await AuditChainVerifier.VerifyAsync(stream, CancellationToken.None);
    }

    private static async Task<(int ExitCode, string Output, string Error)> QueryAsync(string path, AuditQueryFormat format)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await AuditQuery.RunAsync([path], AuditQueryFilter.All, format, output, error, CancellationToken.None);
        return (exitCode, output.ToString(), error.ToString());
    }

    private static bool IsSameDictionary(object? expected, object? actual) =>
        expected is System.Collections.IEnumerable e && actual is System.Collections.IEnumerable a && e.Cast<object>().SequenceEqual(a.Cast<object>());

    [GeneratedRegex("\"(?<name>[A-Za-z]+)\":(\"[^\"]*\"|[0-9]+)")]
    private static partial Regex MemberValue();

    [GeneratedRegex("\"prevHash\":\"[0-9a-f]{64}\"")]
    private static partial Regex PrevHashMember();
}
