using System.Text.Json.Nodes;
using RemediationWorker.Commands;
using RemediationWorker.Replay;
using RemediationWorker.Tests.TestSupport;

namespace RemediationWorker.Tests.Commands;

public sealed class CommandTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"candidate-{Guid.NewGuid():N}.json");
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    [Fact]
    public async Task Validate_ShippedConfiguration_ExitsZero()
    {
        var exit = await ValidateCommand.RunAsync(RepositoryPaths.AppSettings, _output, _error, CancellationToken.None);

        Assert.Equal(0, exit);
        Assert.StartsWith("valid: configuration ", _output.ToString(), StringComparison.Ordinal);
        Assert.Empty(_error.ToString());
    }

    [Fact]
    public async Task Validate_BadConfiguration_ExitsOneListingEachError()
    {
        var json = TestConfiguration.ShippedJson();
        TestConfiguration.Playbook(json, "stack-drift-revert")["limits"]!["maxAttempts"] = 0;
        TestConfiguration.Playbook(json, "codebuild-transient-retry")["resourc"] = "x";
        File.WriteAllText(_file, json.ToJsonString());

        var exit = await ValidateCommand.RunAsync(_file, _output, _error, CancellationToken.None);

        Assert.Equal(1, exit);
        Assert.Contains("playbooks[codebuild-transient-retry].resourc: unknown field", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_SectionsTheRunHostChecksAtStart_ExitsOneNamingEach()
    {
        // Each of these passes the playbook checks and stops `run` at start: validate must say so first.
        var json = TestConfiguration.ShippedJson();
        json["Ledger"] = new JsonObject { ["Store"] = "DynamoDb", ["LeaseMargin"] = "00:00:01" };
        json["Intake"] = new JsonObject { ["Source"] = "Sqs" };
        File.WriteAllText(_file, json.ToJsonString());

        var exit = await ValidateCommand.RunAsync(_file, _output, _error, CancellationToken.None);

        Assert.Equal(1, exit);
        var lines = _error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith("Property Ledger.tableName: is required with Store=DynamoDb", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("LedgerOptions.LeaseMargin must be between 00:00:05 and 00:30:00", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Property Intake.queueUrl: is required with Source=Sqs", StringComparison.Ordinal));
        Assert.Equal("3 error(s)", lines[^1]);
        Assert.Empty(_output.ToString());
    }

    [Fact]
    public async Task Validate_PlaybookError_ListedOnce()
    {
        // The run host's own check of the Remediation section is the same loader: its failures are not repeated.
        var json = TestConfiguration.ShippedJson();
        TestConfiguration.Playbook(json, "stack-drift-revert")["limits"]!["maxAttempts"] = 0;
        File.WriteAllText(_file, json.ToJsonString());

        Assert.Equal(1, await ValidateCommand.RunAsync(_file, _output, _error, CancellationToken.None));
        var lines = _error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["1 error(s)"], lines.Skip(1));
        Assert.Contains("stack-drift-revert", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_FileNotJson_ExitsOne()
    {
        File.WriteAllText(_file, "{ nope");

        Assert.Equal(1, await ValidateCommand.RunAsync(_file, _output, _error, CancellationToken.None));
        Assert.Contains("is not valid JSON", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_BadConfiguration_ExitsOneWithoutReplaying()
    {
        var json = TestConfiguration.ShippedJson();
        json["Remediation"]!["breaker"]!["failureThreshold"] = 0;
        File.WriteAllText(_file, json.ToJsonString());

        var exit = await ReplayCommand.RunAsync(RepositoryPaths.SampleEvents, _file, ReplayFormat.Table, _output, _error, CancellationToken.None);

        Assert.Equal(1, exit);
        Assert.Contains("breaker.failureThreshold: 0 is outside 1..100", _error.ToString(), StringComparison.Ordinal);
        Assert.Empty(_output.ToString());
    }

    [Fact]
    public async Task Replay_MissingEvents_ExitsTwo()
    {
        var exit = await ReplayCommand.RunAsync("/nonexistent/events", RepositoryPaths.AppSettings, ReplayFormat.Json, _output, _error, CancellationToken.None);

        Assert.Equal(2, exit);
    }

    [Fact]
    public async Task Replay_CandidateConfiguration_ShowsWhatTheChangeWouldDo()
    {
        var json = TestConfiguration.ShippedJson();
        TestConfiguration.Playbook(json, "stack-rollback-continue")["limits"]!["maxAttempts"] = 1;
        json["Audit"] = new JsonObject { ["Path"] = _file + ".audit.jsonl" };
        File.WriteAllText(_file, json.ToJsonString());

        var exit = await ReplayCommand.RunAsync(RepositoryPaths.ReplayDay, _file, ReplayFormat.Json, _output, _error, CancellationToken.None);

        Assert.Equal(0, exit);
        var summary = JsonNode.Parse(_output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1])!["summary"]!;
        Assert.Equal(2, (int)summary["playbooks"]!["stack-rollback-continue"]!["planned"]!);
        var auditLines = File.ReadAllLines(_file + ".audit.replay.jsonl");
        Assert.Contains("\"decision\":\"config-loaded\"", auditLines[0], StringComparison.Ordinal);
        Assert.Contains(auditLines, l => l.Contains("\"decision\":\"escalated\"", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(_file)!, Path.GetFileName(_file) + "*"))
        {
            File.Delete(file);
        }

        _output.Dispose();
        _error.Dispose();
    }
}
