using System.CommandLine;
using RemediationWorker.Commands;

namespace RemediationWorker.Tests.Audit;

public sealed class AuditCommandTests : IDisposable
{
    private readonly AuditTestDirectory _dir = new();
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Verify_IntactFiles_Exits0()
    {
        var a = _dir.File("a.jsonl");
        var b = _dir.File("b.jsonl");
        await AuditTestData.WriteChainAsync(a, 2);
        await AuditTestData.WriteChainAsync(b, 1);

        Assert.Equal(0, Invoke("audit", "verify", a, b));
        var digests = _dir.File("digests");
        Assert.Equal(
            $"ok 2 records  {a}\nanchored: seq 1..2 by 1 digests  {digests}\nok 1 records  {b}\nanchored: seq 1..1 by 1 digests  {digests}\n",
            _output.ToString());
    }

    [Fact]
    public async Task Verify_PlainFileWithoutDigests_PrintsTheOkLineAndANoteExits0()
    {
        var a = _dir.File("a.jsonl");
        var lines = await AuditTestData.WriteChainAsync(a, 2);
        Directory.Delete(_dir.File("digests"), recursive: true);

        Assert.Equal(0, Invoke("audit", "verify", a));
        Assert.Equal($"ok 2 records  {a}\n", _output.ToString());
        Assert.Contains("no digests", _error.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, lines.Length);
    }

    [Fact]
    public async Task Verify_BrokenFile_Exits1()
    {
        var path = _dir.File("a.jsonl");
        var lines = await AuditTestData.WriteChainAsync(path, 3);
        AuditTestData.WriteLines(path, [lines[0], lines[2]]);

        Assert.Equal(1, Invoke("audit", "verify", path));
        Assert.StartsWith("broken at line 2:", _output.ToString());
    }

    [Fact]
    public void Verify_MissingFile_Exits2()
    {
        Assert.Equal(2, Invoke("audit", "verify", _dir.File("missing.jsonl")));
        Assert.Contains("missing.jsonl", _error.ToString());
    }

    [Fact]
    public async Task Query_DecisionAndFormatOptions_SelectsAndPrintsJson()
    {
        var path = _dir.File("a.jsonl");
        await using (var sink = AuditTestData.OpenSink(path))
        {
            foreach (var decision in new[] { RemediationWorker.Audit.AuditDecision.Matched, RemediationWorker.Audit.AuditDecision.Started, RemediationWorker.Audit.AuditDecision.Failed })
            {
                await sink.WriteAsync(AuditTestData.Record(AuditTestData.Start, decision), CancellationToken.None);
            }
        }

        var exitCode = Invoke("audit", "query", path, "--decision", "started", "--decision", "failed,timed-out", "--format", "json");

        Assert.Equal(0, exitCode);
        var lines = _output.ToString().TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Contains("\"decision\":\"started\"", lines[0]);
        Assert.Contains("\"decision\":\"failed\"", lines[1]);
    }

    [Fact]
    public async Task Query_FiltersByResourceAndTimeInTableByDefault()
    {
        var path = _dir.File("a.jsonl");
        await using (var sink = AuditTestData.OpenSink(path))
        {
            await sink.WriteAsync(AuditTestData.Record(AuditTestData.Start), CancellationToken.None);
            await sink.WriteAsync(AuditTestData.Record(AuditTestData.Start.AddHours(1)), CancellationToken.None);
            await sink.WriteAsync(AuditTestData.Record(AuditTestData.Start.AddHours(1), resource: AuditTestData.BuildArn), CancellationToken.None);
        }

        var exitCode = Invoke(
            "audit", "query", path, "--resource", AuditTestData.StackArn, "--since", "2025-06-01T12:30:00Z", "--until", "2025-06-01T14:00:00Z");

        Assert.Equal(0, exitCode);
        var rows = _output.ToString().TrimEnd('\n').Split('\n');
        Assert.StartsWith("TIME", rows[0]);
        Assert.StartsWith("2025-06-01T13:00:00.000Z  matched", rows[1]);
        Assert.Equal("1 records", rows[2]);
    }

    [Fact]
    public async Task Query_UnknownDecision_Exits2()
    {
        var path = _dir.File("a.jsonl");
        await AuditTestData.WriteChainAsync(path, 1);

        Assert.Equal(2, Invoke("audit", "query", path, "--decision", "done"));
        Assert.Contains("unknown decision 'done'", _error.ToString());
        Assert.Empty(_output.ToString());
    }

    [Theory]
    [InlineData("audit", "verify")]
    [InlineData("audit", "query")]
    [InlineData("audit", "query", "a.jsonl", "--format", "xml")]
    [InlineData("audit", "query", "a.jsonl", "--resource")]
    public void UsageError_Exits2WithMessage(params string[] args)
    {
        Assert.Equal(2, Invoke(args));
        Assert.StartsWith("error: ", _error.ToString());
        Assert.Empty(_output.ToString());
    }

    private int Invoke(params string[] args)
    {
        var root = new RootCommand("test");
        root.Subcommands.Add(AuditCommand.Create());
        return root.Parse(args).Invoke(new InvocationConfiguration { Output = _output, Error = _error });
    }
}
