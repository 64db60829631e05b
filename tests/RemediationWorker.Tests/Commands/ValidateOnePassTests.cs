using System.Text.RegularExpressions;
using RemediationWorker.Commands;
using RemediationWorker.Playbooks;
using RemediationWorker.Tests.TestSupport;

namespace RemediationWorker.Tests.Commands;

/// <summary>Issue 15's contract for <c>validate --config FILE</c>: exit 1 with one named line per problem, every
/// problem at once, never a stack trace.</summary>
public sealed class ValidateOnePassTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"validate-{Guid.NewGuid():N}.json");
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    public void Dispose() => File.Delete(_file);

    [Fact]
    public async Task Validate_ManyProblemsInManySections_ExitsOneListingEveryOneOnItsOwnLine()
    {
        File.WriteAllText(_file, """
            {
              "Execution": { "Mode": "Liev" },
              "Intake": { "Sorce": "Local", "Limits": { "MaxDepht": 3 } },
              "Remediation": {
                "KillSwitch": false,
                "playbooks": [
                  {
                    "id": "p1",
                    "pattern": { "source": [ "aws.cloudformation" ], "detail": { "stack-id": [ { "prefix": "x" } ] } },
                    "resource": "resources",
                    "runbook": {
                      "documentName": "AWS-DeleteStack",
                      "automationAssumeRole": "arn:aws:iam::111122223333:role/R",
                      "parameters": { "StackName": { "value": "{{resources}}", "allowedPattern": "app-)|(?:.*", "maxLength": 100 } }
                    }
                  }
                ]
              }
            }
            """);

        var exit = await ValidateCommand.RunAsync(_file, _output, _error, CancellationToken.None);

        Assert.Equal(1, exit);
        var lines = _error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        string[] expected =
        [
            "Execution.mode: \"Liev\" is not one of DryRun, Live",
            "Intake.Sorce: unknown field; did you mean Source?",
            "Intake.Limits.MaxDepht: unknown field; did you mean MaxDepth?",
            "Remediation.KillSwitch: is spelt killSwitch",
            "playbooks[p1].runbook.documentName: \"AWS-DeleteStack\" is not in allowedDocuments",
            "playbooks[p1].resource: \"resources\" is the event's list of resources",
            "playbooks[p1].runbook.parameters.StackName.value: placeholder \"resources\" is the event's list of resources",
            "playbooks[p1].runbook.parameters.StackName.allowedPattern: is not a valid regular expression",
        ];
        Assert.All(expected, e => Assert.Contains(lines, l => l.StartsWith(e, StringComparison.Ordinal)));
        Assert.Equal($"{expected.Length} error(s)", lines[^1]);
        Assert.DoesNotContain(lines, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Validate_AnchorEscapingPattern_RefusedThoughItCompilesInsideTheAnchors()
    {
        // "^(?:app-)|(?:.*)\z" compiles and matches anything: the pattern alone does not.
        var json = TestConfiguration.ShippedJson();
        TestConfiguration.Playbook(json, "drift-sweep")["runbook"]!["parameters"]!["StackNamePrefix"]!["allowedPattern"] = "app-)|(?:.*";
        File.WriteAllText(_file, json.ToJsonString());

        Assert.Equal(1, await ValidateCommand.RunAsync(_file, _output, _error, CancellationToken.None));
        Assert.StartsWith("playbooks[drift-sweep].runbook.parameters.StackNamePrefix.allowedPattern: is not a valid regular expression", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_BrokenJson_NamesLineAndColumn()
    {
        File.WriteAllText(_file, "{\n  \"Remediation\": {\n    \"killSwitch\": tru\n  }\n}\n");

        Assert.Equal(1, await ValidateCommand.RunAsync(_file, _output, _error, CancellationToken.None));
        Assert.StartsWith($"{_file}, sha256 ", _error.ToString(), StringComparison.Ordinal);
        Assert.Contains(" is not valid JSON: line 3, column 22: ", _error.ToString(), StringComparison.Ordinal);
        Assert.Single(_error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Validate_ConfiguredAllowedDocuments_ReplaceTheDefault()
    {
        var json = TestConfiguration.ShippedJson();
        json["Remediation"]!["allowedDocuments"] = new System.Text.Json.Nodes.JsonArray("RemediationWorker-DriftSweep");
        File.WriteAllText(_file, json.ToJsonString());

        Assert.Equal(1, await ValidateCommand.RunAsync(_file, _output, _error, CancellationToken.None));
        var lines = _error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["3 error(s)"], lines.Where(l => !l.Contains("is not in allowedDocuments (RemediationWorker-DriftSweep)", StringComparison.Ordinal)));
    }

    [Fact]
    public void ProjectDocuments_AreTheDocumentsTheTemplateCreates()
    {
        var template = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "deploy", "remediation-worker.yaml"));
        var names = Regex.Matches(template, @"Type: AWS::SSM::Document\s*\n\s*Properties:\s*\n\s*Name: (\S+)").Select(m => m.Groups[1].Value);

        Assert.Equal(names.Order(StringComparer.Ordinal), RemediationOptions.ProjectDocuments.Order(StringComparer.Ordinal));
    }
}
