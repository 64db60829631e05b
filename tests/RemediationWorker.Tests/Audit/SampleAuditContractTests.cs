using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using RemediationWorker.Commands;
using RemediationWorker.Tests.TestSupport;

namespace RemediationWorker.Tests.Audit;

/// <summary>The reviewer's contract on the README's <c>run --once</c> over the samples (issue 17): every record of an
/// event names its resource, every <c>no-match</c> says why (the nearest playbook and the field), every
/// <c>rejected</c> names its input, and <c>audit query --resource orders-service --format json</c> finds that stack.</summary>
public sealed class SampleAuditContractTests : IAsyncLifetime, IDisposable
{
    private readonly AuditTestDirectory _dir = new();
    private List<JsonObject> _records = [];

    private string AuditPath => _dir.File("audit.jsonl");

    public async Task InitializeAsync()
    {
        var json = TestConfiguration.ShippedJson();
        json["Intake"]!["Local"]!["Path"] = RepositoryPaths.SampleEvents;
        json["Audit"] = new JsonObject { ["Path"] = AuditPath, ["LogToStdout"] = false };
        var config = _dir.File("config.json");
        await File.WriteAllTextAsync(config, json.ToJsonString());

        Assert.Equal(0, await RunCommand.RunAsync(config, once: true, new StringWriter(), CancellationToken.None));
        _records = [.. File.ReadAllLines(AuditPath).Select(line => JsonNode.Parse(line)!.AsObject())];
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Run_Samples_EveryNoMatchNamesTheNearestPlaybookAndWhy()
    {
        var noMatches = Decisions("no-match");

        Assert.Equal(4, noMatches.Count);
        Assert.All(noMatches, r => Assert.StartsWith("nearest playbook ", Text(r, "reason")));
        var createComplete = Assert.Single(noMatches, r => Text(r, "eventId") == "d2e3f4a5-b6c7-4d8e-9f0a-1b2c3d4e5f60");
        Assert.Equal(
            "nearest playbook stack-rollback-continue: detail.status-details.status: decides no match: no value matched; "
            + "the event has \"CREATE_COMPLETE\", the pattern wants [\"UPDATE_ROLLBACK_FAILED\"]",
            Text(createComplete, "reason"));
    }

    [Fact]
    public void Run_Samples_NoMatchReasonIsWhatTestPatternExplainSays()
    {
        var inSync = Assert.Single(Decisions("no-match"), r => Text(r, "eventId") == "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d");
        var output = new StringWriter();
        var pattern = TestConfiguration.ShippedJson()["Remediation"]!["playbooks"]!.AsArray().Single(p => (string?)p!["id"] == "stack-drift-revert")!["pattern"]!;

        TestPatternCommand.TestPair(new StringReader(pattern.ToJsonString()), new StreamReader(RepositoryPaths.Sample("cfn-drift-in-sync.json")), output, explain: true);

        var deciding = output.ToString().Split('\n').Single(line => line.Contains("decides no match", StringComparison.Ordinal));
        Assert.Equal($"nearest playbook stack-drift-revert: {deciding}", Text(inSync, "reason"));
    }

    [Fact]
    public void Run_Samples_ReceivedAndNoMatchCarryTheEventsResource()
    {
        var ofEvents = _records.Where(r => Text(r, "decision") is "received" or "no-match").ToList();

        Assert.Equal(13, ofEvents.Count);
        Assert.All(ofEvents, r => Assert.StartsWith("arn:aws:", Text(r, "resource")));
        Assert.Contains(ofEvents, r => Text(r, "resource").StartsWith("arn:aws:codebuild:eu-west-1:111122223333:build/web-frontend-ci:", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_Samples_RejectedNamesItsInputAndTheRule()
    {
        var rejected = Decisions("rejected");

        Assert.Equal(["malformed-not-an-event.json", "malformed-not-json.json"], rejected.Select(r => Text(r, "input")).Order());
        Assert.Contains(rejected, r => Text(r, "reason").StartsWith("malformed-json: ", StringComparison.Ordinal));
        Assert.Contains(rejected, r => Text(r, "reason").StartsWith("not an EventBridge event: ", StringComparison.Ordinal));
    }

    [Fact]
    public void QueryByStackName_Samples_PrintsThatStacksReceivedAndDecisionAsJson()
    {
        var output = new StringWriter();
        var root = new RootCommand("test");
        root.Subcommands.Add(AuditCommand.Create());

        var exit = root.Parse(["audit", "query", AuditPath, "--resource", "orders-service", "--format", "json"])
            .Invoke(new InvocationConfiguration { Output = output, Error = new StringWriter() });

        Assert.Equal(0, exit);
        var lines = output.ToString().TrimEnd('\n').Split('\n').Select(line => JsonNode.Parse(line)!.AsObject()).ToList();
        Assert.Equal(["received", "matched", "planned"], lines.Select(r => Text(r, "decision")));
        Assert.All(lines, r => Assert.Contains(":stack/orders-service/", Text(r, "resource"), StringComparison.Ordinal));
    }

    private List<JsonObject> Decisions(string decision) => [.. _records.Where(r => Text(r, "decision") == decision)];

    private static string Text(JsonObject record, string member)
        => record[member] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : string.Empty;
}
