using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EventPatterns;
using RemediationWorker.Execution;

namespace RemediationWorker.Tests.Deploy;

/// <summary>Each grant of the runbook role, the KMS key's EventBridge grant, the worker's stop grant and the
/// build-failure rule's account filter.</summary>
public sealed partial class RunbookRoleIamTests
{
    private const string StacksInScope = "arn:aws:cloudformation:us-east-1:111122223333:stack/app-*/*";

    /// <summary>Granted by CloudFormation's account of what DetectStackDrift needs besides itself; no runbook calls them directly.</summary>
    private static readonly string[] NeededByDetectStackDrift = ["cloudformation:DetectStackResourceDrift", "cloudformation:BatchDescribeTypeConfigurations"];

    [Fact]
    public void RunbookRole_EveryGrant_IsOnExactlyItsResource()
    {
        var expected = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["cloudformation:ContinueUpdateRollback"] = StacksInScope,
            ["cloudformation:DescribeStackEvents"] = StacksInScope,
            ["cloudformation:DescribeStackResourceDrifts"] = StacksInScope,
            ["cloudformation:DescribeStacks"] = StacksInScope,
            ["cloudformation:DetectStackDrift"] = StacksInScope,
            ["cloudformation:DetectStackResourceDrift"] = StacksInScope,
            ["cloudformation:ListStackResources"] = StacksInScope,
            ["cloudformation:CreateChangeSet"] = StacksInScope,
            ["cloudformation:DeleteChangeSet"] = StacksInScope,
            ["cloudformation:DescribeChangeSet"] = StacksInScope,
            ["cloudformation:ExecuteChangeSet"] = StacksInScope,
            ["cloudformation:BatchDescribeTypeConfigurations"] = "*",
            ["cloudformation:DescribeStackDriftDetectionStatus"] = "*",
            ["cloudformation:ListStacks"] = "*",
            ["ssm:CreateOpsItem"] = "*",
        };

        var granted = RunbookRoleGrants().ToList();

        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), granted.Select(g => g.Action).Order(StringComparer.Ordinal));
        foreach (var (action, resources, _) in granted)
        {
            Assert.Equal([expected[action]], resources);
        }
    }

    [Fact]
    public void RunbookRole_ChangeSetActions_OnlyOnTheRunbooksChangeSetNames()
    {
        var statement = Assert.Single(StackTemplateTests.RoleStatements("RunbookRole"), s => s.Actions.Any(a => a!.GetValue<string>() == "cloudformation:CreateChangeSet"));

        Assert.Equal(
            ["cloudformation:CreateChangeSet", "cloudformation:DeleteChangeSet", "cloudformation:DescribeChangeSet", "cloudformation:ExecuteChangeSet"],
            statement.Actions.Select(a => a!.GetValue<string>()).Order(StringComparer.Ordinal));
        var condition = Assert.Single(statement.Statement["Condition"]!.AsObject());
        Assert.Equal("StringLike", condition.Key);
        Assert.Equal("RemediationWorker-RevertDrift-*", condition.Value!["cloudformation:ChangeSetName"]!.GetValue<string>());
        // The name the drift runbook gives its change sets matches the condition.
        Assert.Contains("name = \"RemediationWorker-RevertDrift-\" + events[\"ExecutionId\"]", DocumentText("remediate-stack-drift.yaml"), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(RunbookFiles))]
    public void RunbookRole_EveryApiARunbookCalls_IsGranted(string file)
    {
        var granted = RunbookRoleGrants().Select(g => g.Action).ToHashSet(StringComparer.Ordinal);

        foreach (var api in CalledApis(file))
        {
            Assert.True(
                granted.Contains($"cloudformation:{api}") || granted.Contains($"ssm:{api}") || CodeBuildGrants.Contains($"codebuild:{api}"),
                $"{file} calls {api}, which the runbook role is not granted");
        }
    }

    [Fact]
    public void RunbookRole_EveryGrant_IsUsedByARunbook()
    {
        var called = DeployFiles.DocumentNames.Keys.SelectMany(CalledApis).ToHashSet(StringComparer.Ordinal);

        foreach (var action in RunbookRoleGrants().Select(g => g.Action).Concat(CodeBuildGrants).Except(NeededByDetectStackDrift))
        {
            Assert.Contains(action.Split(':')[1], called);
        }
    }

    [Fact]
    public void RunbookRole_PassRole_OnlyTheStackServiceRolesOnlyToCloudFormationAndOnlyWhenGiven()
    {
        var policy = StackTemplateTests.Template["Resources"]!["RunbookRolePassStackServiceRoles"]!;
        Assert.Equal("HasStackServiceRoles", policy["Condition"]!.GetValue<string>());
        Assert.Equal("RunbookRole", policy["Properties"]!["RoleName"]!["Ref"]!.GetValue<string>());
        Assert.Equal(
            """{"Fn::Not":[{"Fn::Equals":[{"Fn::Join":["",{"Ref":"StackServiceRoleArns"}]},""]}]}""",
            StackTemplateTests.Template["Conditions"]!["HasStackServiceRoles"]!.ToJsonString());

        var statement = Assert.Single(StackTemplateTests.Statements, s => s.Location.StartsWith("RunbookRole", StringComparison.Ordinal) && s.Actions.Any(a => a!.GetValue<string>() == "iam:PassRole"));
        Assert.StartsWith("RunbookRolePassStackServiceRoles.", statement.Location, StringComparison.Ordinal);
        Assert.Equal("StackServiceRoleArns", statement.Statement["Resource"]!["Ref"]!.GetValue<string>());
        Assert.Equal("cloudformation.amazonaws.com", statement.Statement["Condition"]!["StringEquals"]!["iam:PassedToService"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(false, false, null)]
    [InlineData(true, false, "RunbookRoleExtraPolicyArns")]
    [InlineData(false, true, "DriftReadPolicyArns")]
    [InlineData(true, true, "RunbookRoleExtraPolicyArns,DriftReadPolicyArns")]
    public void RunbookRole_ManagedPolicies_AreTheWriteAndTheDriftReadParametersEachOnlyWhenGiven(bool extra, bool driftRead, string? parameters)
    {
        var conditions = new Dictionary<string, bool>(StringComparer.Ordinal) { ["HasRunbookRoleExtraPolicies"] = extra, ["HasDriftReadPolicies"] = driftRead };

        var chosen = ChooseIf(StackTemplateTests.Template["Resources"]!["RunbookRole"]!["Properties"]!["ManagedPolicyArns"], conditions);

        var referenced = ReferencedParameters().Matches(chosen?.ToJsonString() ?? "").Select(m => m.Groups["name"].Value);
        if (parameters is null)
        {
            Assert.Equal("""{"Ref":"AWS::NoValue"}""", chosen!.ToJsonString());
        }
        else
        {
            Assert.Equal(parameters.Split(','), referenced);
        }
    }

    [Fact]
    public void KeyPolicy_EventBridgeGrant_IsConditionedOnThisAccount()
    {
        var statement = Assert.Single(StackTemplateTests.Statements, s => s.IsKeyPolicy && s.Statement["Principal"]?["Service"]?.GetValue<string>() == "events.amazonaws.com");

        Assert.Equal("111122223333", StackTemplateTests.Intrinsics.ResolveString(statement.Statement["Condition"]!["StringEquals"]!["aws:SourceAccount"]));
        Assert.Equal("sqs.us-east-1.amazonaws.com", StackTemplateTests.Intrinsics.ResolveString(statement.Statement["Condition"]!["StringEquals"]!["kms:ViaService"]).Replace("<AWS::URLSuffix>", "amazonaws.com", StringComparison.Ordinal));
    }

    [Fact]
    public void TaskRole_StopAutomationExecution_OnlyOnExecutionsTheWorkerTagged()
    {
        var statement = Assert.Single(StackTemplateTests.RoleStatements("TaskRole"), s => s.Actions.Any(a => a!.GetValue<string>() == "ssm:StopAutomationExecution"));

        Assert.Equal(["ssm:StopAutomationExecution"], statement.Actions.Select(a => a!.GetValue<string>()));
        Assert.Equal("false", statement.Statement["Condition"]!["Null"]![$"aws:ResourceTag/{SsmAutomationRunner.PlaybookTag}"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("111122223333", true)]
    [InlineData("444455556666", false)]
    public void BuildFailedRule_Pattern_MatchesOnlyThisAccountsBuilds(string account, bool matches)
    {
        var pattern = EventPattern.Parse(StackTemplateTests.PatternJson("BuildFailedRule"));
        var fixture = JsonNode.Parse(FixtureEvents.All["build-failed"])!;
        fixture["account"] = account;

        var matched = new List<int>();
        Assert.True(PatternMatcher.Compile([pattern]).TryMatch(Encoding.UTF8.GetBytes(fixture.ToJsonString()), matched, out var error), error?.Message);
        Assert.Equal(matches, matched.Count == 1);
    }

    public static TheoryData<string> RunbookFiles => DeployFiles.RunbookFiles();

    private static IEnumerable<string> CodeBuildGrants =>
        StackTemplateTests.Statements.Where(s => s.Location.StartsWith("Fn::ForEach::RunbookRoleCodeBuildPolicies", StringComparison.Ordinal))
            .SelectMany(s => s.Actions.Select(a => a!.GetValue<string>()));

    /// <summary>Every Allow grant of the runbook role's own policy: action, resolved resources, statement.</summary>
    private static IEnumerable<(string Action, List<string> Resources, PolicyStatement Statement)> RunbookRoleGrants() =>
        StackTemplateTests.RoleStatements("RunbookRole")
            .Where(s => s.IsAllow && !s.Location.Contains("AssumeRolePolicyDocument", StringComparison.Ordinal))
            .SelectMany(s => s.Actions.Select(a => (a!.GetValue<string>(), s.Resources.Select(StackTemplateTests.Intrinsics.ResolveString).ToList(), s)));

    /// <summary>The AWS API names a document calls: its executeAwsApi, wait and assert steps, and the boto3 calls in its scripts.</summary>
    private static IEnumerable<string> CalledApis(string file)
    {
        var document = RunbookDocumentTests.Load(file);
        foreach (var step in document["mainSteps"]!.AsArray())
        {
            var inputs = step!["inputs"]!;
            if (inputs["Api"] is JsonValue api)
            {
                yield return api.GetValue<string>();
            }

            if (inputs["Script"] is JsonValue script)
            {
                var text = script.GetValue<string>();
                foreach (var name in Boto3Call().Matches(text).Concat(Paginated().Matches(text)).Select(m => m.Groups["name"].Value))
                {
                    if (name != "get_paginator")
                    {
                        yield return string.Concat(name.Split('_').Select(part => char.ToUpperInvariant(part[0]) + part[1..]));
                    }
                }
            }
        }
    }

    private static string DocumentText(string file) => File.ReadAllText(DeployFiles.Runbook(file));

    private static JsonNode? ChooseIf(JsonNode? node, IReadOnlyDictionary<string, bool> conditions) =>
        node is JsonObject obj && obj["Fn::If"] is JsonArray choice
            ? ChooseIf(conditions[choice[0]!.GetValue<string>()] ? choice[1] : choice[2], conditions)
            : node;

    // snake_case calls on a client: describe_stacks(...).
    [GeneratedRegex("""\.(?<name>[a-z]+(?:_[a-z]+)+)\(""")]
    private static partial Regex Boto3Call();

    // Operations called through a paginator: get_paginator("list_stacks").
    [GeneratedRegex("""get_paginator\("(?<name>[a-z_]+)"\)""")]
    private static partial Regex Paginated();

    [GeneratedRegex("""\{"Ref":"(?<name>RunbookRoleExtraPolicyArns|DriftReadPolicyArns)"\}""")]
    private static partial Regex ReferencedParameters();
}
