using System.CommandLine;
using System.Text;
using System.Text.Json;
using EventPatterns;
using RemediationWorker.Commands;
using RemediationWorker.Tests.TestSupport;

namespace RemediationWorker.Tests.Commands;

public sealed class TestPatternCommandTests : IDisposable
{
    private const string Pattern = """{"source":["aws.ec2"],"detail":{"state":["stopped"]}}""";
    private const string InvalidPattern = """{"detail":{"state":[{"prefix":5}]}}""";
    private const string StoppedEvent = """{"version":"0","id":"7bf73129-1428-4cd3-a780-95db273d1602","detail-type":"EC2 Instance State-change Notification","source":"aws.ec2","account":"123456789012","time":"2025-11-27T04:20:00Z","region":"eu-west-1","resources":["arn:aws:ec2:eu-west-1:123456789012:instance/i-0abcd1234ef567890"],"detail":{"instance-id":"i-0abcd1234ef567890","state":"stopped"}}""";
    private const string RunningEvent = """{"source":"aws.ec2","detail-type":"EC2 Instance State-change Notification","detail":{"instance-id":"i-0abcd1234ef567890","state":"running"}}""";
    private const string MalformedEvent = """{"source":"aws.ec2","detail":""";

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("test-pattern-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void TestPair_PatternMatchesEvent_PrintsMatchAndReturnsZero()
    {
        var output = new StringWriter();

        var exitCode = TestPatternCommand.TestPair(new StringReader(Pattern), new StringReader(StoppedEvent), output);

        Assert.Equal(0, exitCode);
        Assert.Equal("match", output.ToString().TrimEnd());
    }

    [Fact]
    public void TestPair_PatternDoesNotMatchEvent_PrintsNoMatchAndReturnsOne()
    {
        var output = new StringWriter();

        var exitCode = TestPatternCommand.TestPair(new StringReader(Pattern), new StringReader(RunningEvent), output);

        Assert.Equal(1, exitCode);
        Assert.Equal("no match", output.ToString().TrimEnd());
    }

    [Fact]
    public void TestPair_InvalidPattern_PrintsPatternErrorAndReturnsTwo()
    {
        var output = new StringWriter();

        var exitCode = TestPatternCommand.TestPair(new StringReader(InvalidPattern), new StringReader(StoppedEvent), output);

        Assert.Equal(2, exitCode);
        Assert.Equal(PatternError(InvalidPattern), output.ToString().TrimEnd());
        Assert.Contains("detail.state", output.ToString());
    }

    [Fact]
    public void TestPair_MalformedEvent_PrintsEventErrorAndReturnsTwo()
    {
        var output = new StringWriter();

        var exitCode = TestPatternCommand.TestPair(new StringReader(Pattern), new StringReader(MalformedEvent), output);

        Assert.Equal(2, exitCode);
        Assert.Equal(EventError(MalformedEvent), output.ToString().TrimEnd());
    }

    [Theory]
    [InlineData("""{"source":"aws.ec2","source":"aws.s3","detail":{}}""", "duplicate-member: \"source\" appears twice in the event")]
    [InlineData("""{"source":"aws.ec2\ud800","detail":{}}""", "lone-surrogate: a string at source has a \\u escape of half a surrogate pair")]
    public void TestPair_EventTheIntakeRejects_PrintsTheRuleAndReturnsTwo(string @event, string expected)
    {
        // Any duplicate matching would make this a match; the worker's reader refuses it, and so does test-pattern.
        var output = new StringWriter();

        var exitCode = TestPatternCommand.TestPair(new StringReader(Pattern), new StringReader(@event), output);

        Assert.Equal(2, exitCode);
        Assert.Equal(expected, output.ToString().TrimEnd());
    }

    [Fact]
    public void TestPair_ExplainNoMatch_NamesTheDecidingFieldAndWhy()
    {
        const string Rollback = """{"source":["aws.cloudformation"],"detail":{"stack-id":[{"prefix":"arn:aws:cloudformation:"}],"status-details":{"status":["UPDATE_ROLLBACK_FAILED"]},"ticket":[{"exists":true}]}}""";
        var output = new StringWriter();

        var exitCode = TestPatternCommand.TestPair(new StringReader(Rollback), new StreamReader(RepositoryPaths.Sample("cfn-stack-create-complete.json")), output, explain: true);

        Assert.Equal(1, exitCode);
        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("no match", lines[0]);
        Assert.Contains("source: matched by \"aws.cloudformation\" (the event has \"aws.cloudformation\")", lines);
        Assert.Contains(lines, l => l.StartsWith("detail.stack-id: matched by {\"prefix\":\"arn:aws:cloudformation:\"}", StringComparison.Ordinal));
        Assert.Contains("detail.status-details.status: decides no match: no value matched; the event has \"CREATE_COMPLETE\", the pattern wants [\"UPDATE_ROLLBACK_FAILED\"]", lines);
        Assert.Contains("detail.ticket: decides no match: the field is missing from the event (the pattern wants [{\"exists\":true}])", lines);
    }

    [Fact]
    public void TestCases_MixedLines_WritesOneResultPerNonBlankLineInOrder()
    {
        var input = string.Join('\n',
            Case(Pattern, StoppedEvent),
            Case(Pattern, RunningEvent),
            Case(InvalidPattern, StoppedEvent),
            "not json",
            "",
            $$"""{"pattern":{{Pattern}}}""",
            "   ",
            Case(Pattern, "5"),
            $$"""{"pattern":{{InvalidPattern}},"invalid":true}""",
            Case(Pattern, StoppedEvent));
        var output = new StringWriter();

        TestPatternCommand.TestCases(new StringReader(input), output);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(8, lines.Length);
        Assert.Equal("""{"match":true}""", lines[0]);
        Assert.Equal("""{"match":false}""", lines[1]);
        using (var invalid = JsonDocument.Parse(lines[2]))
        {
            Assert.True(invalid.RootElement.GetProperty("invalid").GetBoolean());
            Assert.Equal(PatternError(InvalidPattern), invalid.RootElement.GetProperty("error").GetString());
        }

        Assert.StartsWith("line 4: ", SoleError(lines[3]));
        Assert.StartsWith("line 6: ", SoleError(lines[4]));
        Assert.Equal(EventError("5"), SoleError(lines[5]));
        Assert.StartsWith("""{"invalid":true,"error":""", lines[6]);
        Assert.Equal("""{"match":true}""", lines[7]);
    }

    [Fact]
    public void TestCases_ErrorWithQuotes_WritesItJsonEscaped()
    {
        var output = new StringWriter();

        TestPatternCommand.TestCases(new StringReader(Case(InvalidPattern, StoppedEvent)), output);

        var line = output.ToString().TrimEnd();
        var error = PatternError(InvalidPattern);
        Assert.Contains('"', error);
        Assert.StartsWith("{\"invalid\":true,\"error\":\"detail.state: \\\"", line);
        using var document = JsonDocument.Parse(line);
        Assert.Equal(error, document.RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public void Create_CasesFile_WritesResultsAndReturnsZero()
    {
        var cases = WriteFile("cases.jsonl", Case(Pattern, StoppedEvent) + "\n" + Case(InvalidPattern, StoppedEvent) + "\n");

        var (exitCode, output, error) = Invoke("--cases", cases);

        Assert.Equal(0, exitCode);
        Assert.Equal(2, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.StartsWith("""{"match":true}""", output);
        Assert.Empty(error);
    }

    [Fact]
    public void Create_PatternAndEventFiles_PrintsMatchAndReturnsZero()
    {
        var pattern = WriteFile("pattern.json", Pattern);
        var @event = WriteFile("event.json", StoppedEvent);

        var (exitCode, output, _) = Invoke("--pattern", pattern, "--event", @event);

        Assert.Equal(0, exitCode);
        Assert.Equal("match", output.TrimEnd());
    }

    [Theory]
    [InlineData("")]
    [InlineData("--pattern p.json")]
    [InlineData("--event e.json")]
    [InlineData("--pattern p.json --event e.json --cases c.jsonl")]
    [InlineData("--pattern p.json --cases c.jsonl")]
    public void Create_NeitherOrBothModes_WritesUsageErrorAndReturnsTwo(string options)
    {
        var (exitCode, output, error) = Invoke(options.Split(' ', StringSplitOptions.RemoveEmptyEntries));

        Assert.Equal(2, exitCode);
        Assert.Empty(output);
        Assert.Contains("--", error);
    }

    [Fact]
    public void Create_MissingPatternFile_WritesErrorAndReturnsTwo()
    {
        var missing = Path.Combine(_directory.FullName, "missing.json");

        var (exitCode, output, error) = Invoke("--pattern", missing, "--event", missing);

        Assert.Equal(2, exitCode);
        Assert.Empty(output);
        Assert.Contains("missing.json", error);
    }

    private static string Case(string pattern, string @event) => $$"""{"pattern":{{pattern}},"event":{{@event}}}""";

    private static string PatternError(string pattern)
    {
        Assert.False(EventPattern.TryParse(pattern, out _, out var error));
        return error.Message;
    }

    private static string EventError(string @event)
    {
        var matcher = PatternMatcher.Compile([EventPattern.Parse(Pattern)]);
        Assert.False(matcher.TryMatch(Encoding.UTF8.GetBytes(@event), [], out var error));
        return error.Message;
    }

    private static string SoleError(string line)
    {
        using var document = JsonDocument.Parse(line);
        var property = Assert.Single(document.RootElement.EnumerateObject());
        Assert.Equal("error", property.Name);
        return property.Value.GetString()!;
    }

    private static (int ExitCode, string Output, string Error) Invoke(params string[] options)
    {
        var root = new RootCommand();
        root.Subcommands.Add(TestPatternCommand.Create());
        var output = new StringWriter();
        var error = new StringWriter();

        var exitCode = root.Parse(["test-pattern", .. options]).Invoke(new InvocationConfiguration { Output = output, Error = error });

        return (exitCode, output.ToString(), error.ToString());
    }

    private string WriteFile(string name, string content)
    {
        var path = Path.Combine(_directory.FullName, name);
        File.WriteAllText(path, content);
        return path;
    }
}
