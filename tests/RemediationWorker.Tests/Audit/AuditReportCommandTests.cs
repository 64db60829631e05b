using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using RemediationWorker.Audit;
using RemediationWorker.Commands;

namespace RemediationWorker.Tests.Audit;

/// <summary><c>audit report</c> without a browser: inputs, exit codes, the data block and the policy's hashes (the
/// page in a browser: tests/RemediationWorker.BrowserTests).</summary>
public sealed partial class AuditReportCommandTests : IDisposable
{
    private readonly AuditTestDirectory _dir = new();
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Report_Directory_ReadsItsJsonlFilesAsOneTimeline()
    {
        Directory.CreateDirectory(_dir.File("logs"));
        await AuditTestData.WriteChainAsync(_dir.File("logs/a.jsonl"), 2);
        await AuditTestData.WriteChainAsync(_dir.File("logs/b.jsonl"), 3);
        await File.WriteAllTextAsync(_dir.File("logs/notes.txt"), "not an audit file");

        Assert.Equal(0, Invoke("audit", "report", _dir.File("logs"), "--html", _dir.File("r.html")));

        Assert.StartsWith($"wrote {_dir.File("r.html")}: 5 records from 2 file(s), ", _output.ToString());
        var data = DataOf(await File.ReadAllTextAsync(_dir.File("r.html")));
        Assert.Equal(5, data.GetProperty("records").GetArrayLength());
        Assert.All(data.GetProperty("files").EnumerateArray(), f => Assert.True(f.GetProperty("verified").GetBoolean()));
    }

    [Fact]
    public async Task Report_FileDoesNotVerify_WritesThePageWarnsAndExits1()
    {
        var path = _dir.File("a.jsonl");
        var lines = await AuditTestData.WriteChainAsync(path, 3);
        AuditTestData.WriteLines(path, [lines[0], lines[2]]);

        Assert.Equal(1, Invoke("audit", "report", path, "--html", _dir.File("r.html")));

        Assert.StartsWith($"warning: {path} does not verify: broken at line 2: ", _error.ToString());
        var file = Assert.Single(DataOf(await File.ReadAllTextAsync(_dir.File("r.html"))).GetProperty("files").EnumerateArray());
        Assert.False(file.GetProperty("verified").GetBoolean());
        Assert.StartsWith("broken at line 2: ", file.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("missing.jsonl")]
    [InlineData("empty-dir")]
    public void Report_InputCannotBeRead_Exits2(string input)
    {
        Directory.CreateDirectory(_dir.File("empty-dir"));

        Assert.Equal(2, Invoke("audit", "report", _dir.File(input), "--html", _dir.File("r.html")));

        Assert.StartsWith("error: ", _error.ToString());
        Assert.False(File.Exists(_dir.File("r.html")));
    }

    [Fact]
    public void Report_WithoutHtml_IsAUsageError()
        => Assert.Equal(2, Invoke("audit", "report", _dir.File("a.jsonl")));

    [Fact]
    public async Task Report_HostileValues_CannotLeaveTheDataBlock()
    {
        var path = _dir.File("a.jsonl");
        const string Hostile = "</script><script>alert(1)</script><!--<img src=x onerror=alert(2)>";
        await using (var sink = AuditTestData.OpenSink(path))
        {
            await sink.WriteAsync(AuditTestData.Record(AuditTestData.Start, AuditDecision.Skipped, Hostile, Hostile, Hostile, Hostile), CancellationToken.None);
        }

        Assert.Equal(0, Invoke("audit", "report", path, "--html", _dir.File("r.html")));

        var html = await File.ReadAllTextAsync(_dir.File("r.html"));
        Assert.Equal(2, Regex.Count(html, "<script", RegexOptions.IgnoreCase));
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<!--", html, StringComparison.Ordinal);
        Assert.Contains("\\u003C/script\\u003E", html, StringComparison.Ordinal);
        Assert.Contains(Hostile, DataOf(html).GetProperty("strings").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public async Task Report_Policy_AllowsExactlyThePagesInlineScriptAndStyle()
    {
        var path = _dir.File("a.jsonl");
        await AuditTestData.WriteChainAsync(path, 1);
        Invoke("audit", "report", path, "--html", _dir.File("r.html"));
        var html = await File.ReadAllTextAsync(_dir.File("r.html"));

        var policy = Policy().Match(html).Groups[1].Value;
        var script = Inline().Matches(html).Single(m => m.Groups[1].Value == "script" && m.Groups[2].Value.Length == 0).Groups[3].Value;
        var style = Inline().Matches(html).Single(m => m.Groups[1].Value == "style").Groups[3].Value;

        Assert.Equal($"default-src 'none'; script-src '{Sha256(script)}'; style-src '{Sha256(style)}'; base-uri 'none'; form-action 'none'", policy);
        Assert.Contains("textContent", script, StringComparison.Ordinal);
        Assert.DoesNotContain("innerHTML", script, StringComparison.Ordinal);
        Assert.DoesNotContain("insertAdjacentHTML", script, StringComparison.Ordinal);
    }

    private static string Sha256(string text) => "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static JsonElement DataOf(string html)
        => JsonDocument.Parse(Inline().Matches(html).Single(m => m.Groups[2].Value.Length > 0).Groups[3].Value).RootElement.Clone();

    private int Invoke(params string[] args)
    {
        var root = new RootCommand("test");
        root.Subcommands.Add(AuditCommand.Create());
        return root.Parse(args).Invoke(new InvocationConfiguration { Output = _output, Error = _error });
    }

    [GeneratedRegex("""<meta http-equiv="Content-Security-Policy" content="([^"]*)">""")]
    private static partial Regex Policy();

    /// <summary>An inline element: its tag, its type attribute (the data block's), its text.</summary>
    [GeneratedRegex("""<(script|style)(?: type="([^"]*)" id="[^"]*")?>(.*?)</\1>""", RegexOptions.Singleline)]
    private static partial Regex Inline();
}
