using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RemediationWorker.Audit;
using RemediationWorker.Commands;

namespace RemediationWorker.Tests.Audit;

/// <summary>Tampering tried as an auditor would (issue 16): a chain of three segments (seq 1..10, 11..20 closed, 21..30
/// open) with its digests, then one change at a time; <c>audit verify DIR</c> must exit 1 for each and say where.</summary>
public sealed class AuditTamperingTests : IDisposable
{
    private const string Chain = "audit";
    private readonly AuditTestDirectory _dir = new();
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public void Dispose()
    {
        _key.Dispose();
        _dir.Dispose();
    }

    private string Segment(long firstSeq) => _dir.File(AuditSegmentNames.Segment(Chain, firstSeq));

    private string Open => _dir.File(Chain + ".jsonl");

    private string Digest(long lastSeq) => Path.Combine(_dir.Path, "digests", AuditSegmentNames.Digest(Chain, lastSeq));

    public static TheoryData<string> Tamperings => [.. Variants.Keys];

    /// <summary>Each variant, and the words <c>audit verify</c> must print about it.</summary>
    private static readonly Dictionary<string, (Action<AuditTamperingTests> Tamper, string Expected)> Variants = new()
    {
        ["edit a field"] = (t => EditLine(t.Segment(11), 4, l => l.Replace("worker-1", "worker-9", StringComparison.Ordinal), rehash: false), "hash mismatch"),
        ["edit a field and rehash the line"] = (t => EditLine(t.Segment(11), 4, l => l.Replace("worker-1", "worker-9", StringComparison.Ordinal), rehash: true), "is not the hash of line 5"),
        ["remove a line"] = (t => EditLines(t.Segment(1), lines => lines.RemoveAt(5)), "seq 7 where 6 was expected"),
        ["swap two lines"] = (t => EditLines(t.Segment(1), lines => (lines[2], lines[3]) = (lines[3], lines[2])), "seq 4 where 3 was expected"),
        ["duplicate a line"] = (t => EditLines(t.Segment(11), lines => lines.Insert(3, lines[2])), "where 14 was expected"),
        ["insert a blank line"] = (t => EditLines(t.Segment(11), lines => lines.Insert(3, string.Empty)), "empty line"),
        ["cut the last line in half"] = (t => File.WriteAllText(t.Open, File.ReadAllText(t.Open)[..^40]), "incomplete line"),
        ["cut off the tail"] = (t => EditLines(t.Open, lines => lines.RemoveRange(lines.Count - 2, 2)), "records were cut off"),
        ["empty the open segment"] = (t => File.WriteAllText(t.Open, string.Empty), "records were cut off"),
        ["cut the end of a closed segment"] = (t => EditLines(t.Segment(1), lines => lines.RemoveAt(lines.Count - 1)), "seq 11 where 10 was expected"),
        ["append a forged record"] = (t => AppendForged(t.Open), "unanchored: seq 31..31"),
        ["append a forged record to a closed segment"] = (t => AppendForged(t.Segment(1)), "where 12 was expected"),
        ["insert a forged record and rehash the rest of the segment"] = (t => EditLines(t.Segment(11), lines => { lines.Insert(9, lines[8]); Rehash(lines, 8); }), "where the digest of seq 20 anchors"),
        ["edit a record and rehash everything after it"] = (t => RehashFrom(2, t.Segment(11), t.Open), "where the digest of seq 20 anchors"),
        ["drop a middle segment"] = (t => File.Delete(t.Segment(11)), "seq 21 where 11 was expected"),
        ["drop the first segment"] = (t => File.Delete(t.Segment(1)), "the segments before seq 11 are missing"),
        ["swap two segments"] = (t => SwapFiles(t.Segment(1), t.Segment(11)), "segments were renamed or swapped"),
        ["drop the last digest"] = (t => File.Delete(t.Digest(30)), "unanchored: seq 21..30"),
        ["drop a middle digest"] = (t => File.Delete(t.Digest(20)), "is not the hash of the digest before"),
        ["drop the first digest"] = (t => File.Delete(t.Digest(10)), "an earlier digest was removed"),
        ["edit a digest's head hash"] = (t => EditDigest(t.Digest(20), d => d with { HeadHash = new string('a', 64) }), "is not the hash of the digest before"),
        ["edit the last digest's head hash"] = (t => EditDigest(t.Digest(30), d => d with { HeadHash = new string('a', 64) }), "where the digest of seq 30 anchors"),
        ["reformat a digest"] = (t => File.WriteAllText(t.Digest(10), File.ReadAllText(t.Digest(10)).Replace(",", ", ", StringComparison.Ordinal)), "canonical form"),
        ["replay an old digest"] = (t => File.Copy(t.Digest(10), t.Digest(20), overwrite: true), "a digest was copied or replayed"),
        ["replay an old digest under its own seq"] = (t => { File.Delete(t.Digest(30)); File.Copy(t.Digest(20), t.Digest(30)); }, "a digest was copied or replayed"),
    };

    [Theory]
    [MemberData(nameof(Tamperings))]
    public async Task Verify_Tampered_ExitsOneNamingTheBreak(string tampering)
    {
        await WriteChainAsync(signed: false);
        var (before, beforeOutput) = Verify(_dir.Path);
        Assert.True(before == 0, beforeOutput);

        var (tamper, expected) = Variants[tampering];
        tamper(this);
        var (exitCode, output) = Verify(_dir.Path);

        Assert.True(exitCode == 1, $"{tampering}: exit {exitCode}\n{output}");
        Assert.Contains(expected, output, StringComparison.Ordinal);
    }

    [Fact]
    public void Tamperings_AreAtLeastTwenty() => Assert.True(Variants.Count >= 20, $"{Variants.Count} variants");

    [Fact]
    public async Task Verify_Untouched_ExitsZeroAnchoredThroughTheOpenSegment()
    {
        await WriteChainAsync(signed: false);

        var (exitCode, output) = Verify(_dir.Path);

        Assert.Equal(0, exitCode);
        Assert.Equal(
            $"ok 10 records  {Segment(1)}\nok 10 records  {Segment(11)}\nok 10 records  {Open}\nanchored: seq 1..30 by 3 digests  {Path.Combine(_dir.Path, "digests")}\n",
            output);
    }

    [Fact]
    public async Task Verify_OpenFileAlone_IsAnchoredByTheDigestBeforeIt()
    {
        await WriteChainAsync(signed: false);

        var (exitCode, output) = Verify(Open);

        Assert.True(exitCode == 0, output);
        Assert.StartsWith($"ok 10 records  {Open}\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_SignedAndPublicKey_ExitsZero()
    {
        await WriteChainAsync(signed: true);

        var (exitCode, output) = Verify(_dir.Path, "--public-key", WritePublicKey());

        Assert.True(exitCode == 0, output);
        Assert.Contains("signatures verified", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_FullRehashWithRewrittenDigests_IsCaughtOnlyByTheSignature()
    {
        await WriteChainAsync(signed: true);
        RehashFrom(2, Segment(11), Open);
        RewriteDigestsUnsigned();

        var (unsignedExit, unsignedOutput) = Verify(_dir.Path);
        var (signedExit, signedOutput) = Verify(_dir.Path, "--public-key", WritePublicKey());

        Assert.True(unsignedExit == 0, "local unsigned digests rewritten with the log cannot show it (docs/audit-log.md)\n" + unsignedOutput);
        Assert.Equal(1, signedExit);
        Assert.Contains("unsigned, while a public key was given", signedOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_PublicKeyNotPem_ExitsTwoNamingIt()
    {
        await WriteChainAsync(signed: true);
        var key = _dir.File("not-a-key.pem");
        File.WriteAllText(key, "not a key");

        var (exitCode, output) = Verify(_dir.Path, "--public-key", key);

        Assert.Equal(2, exitCode);
        Assert.Contains($"cannot read the public key {key}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_DigestSignedByAnotherKey_ExitsOne()
    {
        await WriteChainAsync(signed: true);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var path = Digest(20);
        var digest = ReadDigest(path);
        var forged = digest with { Signature = Convert.ToBase64String(other.SignData(digest.SignedBytes(), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)) };
        File.WriteAllBytes(path, forged.ToBytes());

        var (exitCode, output) = Verify(_dir.Path, "--public-key", WritePublicKey());

        Assert.Equal(1, exitCode);
        Assert.Contains($"broken digest: a signature that does not verify with the public key", output, StringComparison.Ordinal);
        Assert.Contains(path, output, StringComparison.Ordinal);
    }

    private async Task WriteChainAsync(bool signed)
    {
        var time = new FakeTimeProvider(AuditTestData.Start);
        var options = Options.Create(new AuditOptions { Path = Open, FlushToDisk = false, LogToStdout = false });
        await using var sink = new JsonLinesAuditSink(
            options, NullLogger<JsonLinesAuditSink>.Instance, time, "worker-1", signer: signed ? new EcdsaSigner(_key) : null);
        for (var segment = 0; segment < 3; segment++)
        {
            for (var i = 0; i < 10; i++)
            {
                await sink.WriteAsync(AuditTestData.Record(time.GetUtcNow()), CancellationToken.None);
                time.Advance(TimeSpan.FromSeconds(1));
            }

            if (segment < 2)
            {
                await sink.RotateAsync(onlyWhenDue: false, CancellationToken.None);
            }
        }
    }

    private static (int ExitCode, string Output) Verify(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var root = new RootCommand("test");
        root.Subcommands.Add(AuditCommand.Create());
        var exitCode = root.Parse(["audit", "verify", .. args]).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString() + error);
    }

    private string WritePublicKey()
    {
        var path = _dir.File("public.pem");
        File.WriteAllText(path, _key.ExportSubjectPublicKeyInfoPem());
        return path;
    }

    private static void EditLines(string path, Action<List<string>> edit)
    {
        var lines = AuditTestData.ReadLines(path).ToList();
        edit(lines);
        AuditTestData.WriteLines(path, lines);
    }

    private static void EditLine(string path, int index, Func<string, string> edit, bool rehash) => EditLines(path, lines =>
    {
        lines[index] = edit(lines[index]);
        if (rehash)
        {
            lines[index] = WithHash(lines[index]);
        }
    });

    /// <summary>Edits line <paramref name="index"/> of the first file and recomputes every hash and prevHash from there
    /// to the end of the last.</summary>
    private static void RehashFrom(int index, params string[] files)
    {
        var lines = files.SelectMany(AuditTestData.ReadLines).ToList();
        lines[index] = lines[index].Replace("worker-1", "worker-9", StringComparison.Ordinal);
        Rehash(lines, index);
        var at = 0;
        foreach (var file in files)
        {
            var count = AuditTestData.ReadLines(file).Length;
            AuditTestData.WriteLines(file, lines.Skip(at).Take(count));
            at += count;
        }
    }

    private static void Rehash(List<string> lines, int from)
    {
        for (var i = from; i < lines.Count; i++)
        {
            var json = JsonNode.Parse(lines[i])!.AsObject();
            if (i > 0)
            {
                json["prevHash"] = (string)JsonNode.Parse(lines[i - 1])!["hash"]!;
            }

            json["seq"] = i == 0 ? (long)json["seq"]! : (long)JsonNode.Parse(lines[i - 1])!["seq"]! + 1;
            lines[i] = WithHash(Serialize(json));
        }
    }

    private static void AppendForged(string path) => EditLines(path, lines =>
    {
        var last = JsonNode.Parse(lines[^1])!.AsObject();
        var forged = JsonNode.Parse(lines[^1])!.AsObject();
        forged["seq"] = (long)last["seq"]! + 1;
        forged["prevHash"] = (string)last["hash"]!;
        forged["decision"] = "succeeded";
        lines.Add(WithHash(Serialize(forged)));
    });

    private static void SwapFiles(string a, string b)
    {
        var temp = a + ".swap";
        File.Move(a, temp);
        File.Move(b, a);
        File.Move(temp, b);
    }

    private static AuditDigest ReadDigest(string path)
    {
        Assert.True(AuditDigest.TryParse(File.ReadAllBytes(path), out var digest, out var problem), problem);
        return digest!;
    }

    private static void EditDigest(string path, Func<AuditDigest, AuditDigest> edit) => File.WriteAllBytes(path, edit(ReadDigest(path)).ToBytes());

    /// <summary>What someone who rewrote the log would do to local digests: recompute them all, unsigned.</summary>
    private void RewriteDigestsUnsigned()
    {
        var previous = AuditDigest.GenesisHash;
        foreach (var (lastSeq, file) in new[] { (10L, Segment(1)), (20L, Segment(11)), (30L, Open) })
        {
            var head = (string)JsonNode.Parse(AuditTestData.ReadLines(file)[^1])!["hash"]!;
            var digest = ReadDigest(Digest(lastSeq)) with { HeadHash = head, PreviousDigestHash = previous, KeyId = null, Signature = null };
            var bytes = digest.ToBytes();
            File.WriteAllBytes(Digest(lastSeq), bytes);
            previous = AuditDigest.HashOf(bytes);
        }
    }

    /// <summary>The line with its hash member recomputed by the documented rule.</summary>
    private static string WithHash(string line)
    {
        var body = line[..line.LastIndexOf(",\"hash\":", StringComparison.Ordinal)];
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body + "}")));
        return $"{body},\"hash\":\"{hash}\"}}";
    }

    /// <summary>A parsed line written back compactly with its members in the same order (the hash member last).</summary>
    private static string Serialize(JsonObject json) => json.ToJsonString(new System.Text.Json.JsonSerializerOptions
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    /// <summary>Signs as KMS does (ECDSA P-256, SHA-256, DER) with a local key; the KMS signer itself is tested against moto.</summary>
    private sealed class EcdsaSigner(ECDsa key) : IAuditDigestSigner
    {
        public string KeyId => "arn:aws:kms:eu-west-1:123456789012:key/0c1d2e3f-aaaa-bbbb-cccc-111122223333";

        public Task<byte[]> SignAsync(byte[] message, CancellationToken cancellationToken) =>
            Task.FromResult(key.SignData(message, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
    }
}
