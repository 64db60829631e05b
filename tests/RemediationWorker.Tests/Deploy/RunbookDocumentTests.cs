using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace RemediationWorker.Tests.Deploy;

/// <summary>The rules every SSM Automation document in deploy/runbooks must keep.</summary>
public sealed partial class RunbookDocumentTests
{
    private static readonly HashSet<string> AwsCallingActions = new(StringComparer.Ordinal)
    {
        "aws:executeAwsApi", "aws:waitForAwsResourceProperty", "aws:assertAwsResourceProperty", "aws:executeScript",
    };

    public static TheoryData<string> Files => DeployFiles.RunbookFiles();

    [Fact]
    public void RunbookDirectory_Files_AreExactlyTheContractDocuments()
    {
        var onDisk = Directory.GetFiles(DeployFiles.RunbookDirectory, "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal);

        Assert.Equal(DeployFiles.DocumentNames.Keys.Order(StringComparer.Ordinal), onDisk);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void SchemaVersion_EveryDocument_Is03(string file) =>
        Assert.Equal("0.3", Load(file)["schemaVersion"]?.GetValue<string>());

    [Theory]
    [MemberData(nameof(Files))]
    public void AssumeRole_EveryDocument_IsTheAutomationAssumeRoleParameter(string file)
    {
        var document = Load(file);

        Assert.Equal("{{AutomationAssumeRole}}", WithoutSpaces(document["assumeRole"]?.GetValue<string>()));
        var parameter = Parameters(document)["AutomationAssumeRole"]?.AsObject();
        Assert.NotNull(parameter);
        Assert.Null(parameter["default"]);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Parameters_EveryParameter_HasAnAllowedPatternThatAcceptsItsDefault(string file)
    {
        foreach (var (name, node) in Parameters(Load(file)))
        {
            var parameter = node!.AsObject();
            var pattern = parameter["allowedPattern"]?.GetValue<string>();
            Assert.False(string.IsNullOrEmpty(pattern), $"{file}: parameter {name} has no allowedPattern");
            Assert.Equal("String", parameter["type"]?.GetValue<string>());
            Assert.False(string.IsNullOrWhiteSpace(parameter["description"]?.GetValue<string>()), $"{file}: parameter {name} has no description");
            Assert.StartsWith("^", pattern);
            Assert.EndsWith("$", pattern);
            if (parameter["default"] is JsonValue value)
            {
                Assert.True(FullyMatches(pattern, value.GetValue<string>()), $"{file}: default of {name}");
            }
        }
    }

    [Theory]
    [InlineData("continue-update-rollback.yaml", "StackName,AutomationAssumeRole,SkipFailedResources,AllowCallerCredentials")]
    [InlineData("remediate-stack-drift.yaml", "StackName,AutomationAssumeRole,AllowCallerCredentials")]
    [InlineData("retry-codebuild-build.yaml", "BuildId,ProjectName,AutomationAssumeRole")]
    [InlineData("drift-sweep.yaml", "StackNamePrefix,AutomationAssumeRole")]
    public void Parameters_EveryDocument_AreTheContractParameters(string file, string names) =>
        Assert.Equal(names.Split(',').Order(StringComparer.Ordinal), Parameters(Load(file)).Select(p => p.Key).Order(StringComparer.Ordinal));

    [Fact]
    public void SkipFailedResources_Default_IsFalse() =>
        Assert.Equal("false", Parameters(Load("continue-update-rollback.yaml"))["SkipFailedResources"]?["default"]?.GetValue<string>());

    [Theory]
    [InlineData("StackName", "app-web")]
    [InlineData("StackName", "arn:aws:cloudformation:us-east-1:111122223333:stack/app-web/5f6c1e2a-0b4d-4c8e-9a7f-3d2b1c0e9f88")]
    [InlineData("StackName", "arn:aws-us-gov:cloudformation:us-gov-west-1:111122223333:stack/App2/5f6c1e2a-0b4d-4c8e-9a7f-3d2b1c0e9f88")]
    [InlineData("StackName", "arn:aws:cloudformation:us-west-1:111122223333:stack/teststack")] // AWS's documented samples: no /uuid
    [InlineData("AutomationAssumeRole", "arn:aws:iam::111122223333:role/remediation-worker-RunbookRole-1A2B3C4D5E6F")]
    [InlineData("AutomationAssumeRole", "arn:aws:iam::111122223333:role/service/path/Runbook+Role=1,a.b@c-d")]
    [InlineData("BuildId", "app-build:5f6c1e2a-0b4d-4c8e-9a7f-3d2b1c0e9f88")]
    [InlineData("BuildId", "arn:aws:codebuild:us-east-1:111122223333:build/app-build:5f6c1e2a-0b4d-4c8e-9a7f-3d2b1c0e9f88")]
    [InlineData("ProjectName", "app_build-2")]
    [InlineData("StackNamePrefix", "app-")]
    [InlineData("SkipFailedResources", "true")]
    public void AllowedPattern_RealisticValue_IsAccepted(string parameter, string value) =>
        Assert.True(FullyMatches(PatternOf(parameter), value), $"{parameter}: {value}");

    [Theory]
    [InlineData("StackName", "")]
    [InlineData("StackName", "1app")]
    [InlineData("StackName", "app web")]
    [InlineData("StackName", "app-web\n")]
    [InlineData("StackName", "app-web}}{{ AutomationAssumeRole")]
    [InlineData("StackName", "arn:aws:cloudformation:us-east-1:1111:stack/app-web/x")]
    [InlineData("AutomationAssumeRole", "arn:aws:iam::111122223333:user/admin")]
    [InlineData("AutomationAssumeRole", "arn:aws:sts::111122223333:assumed-role/x/y")]
    [InlineData("AutomationAssumeRole", "")]
    [InlineData("BuildId", "app-build")]
    [InlineData("BuildId", "arn:aws:codebuild:us-east-1:111122223333:project/app-build")]
    [InlineData("ProjectName", "-app")]
    [InlineData("ProjectName", "app build")]
    [InlineData("StackNamePrefix", "")]
    [InlineData("StackNamePrefix", "app*")]
    [InlineData("SkipFailedResources", "yes")]
    [InlineData("SkipFailedResources", "True")]
    public void AllowedPattern_UnsafeOrMalformedValue_IsRejected(string parameter, string value) =>
        Assert.False(FullyMatches(PatternOf(parameter), value), $"{parameter}: {value}");

    [Theory]
    [MemberData(nameof(Files))]
    public void Steps_EveryStepThatCallsAws_HasTimeoutSecondsAndOnFailure(string file)
    {
        foreach (var step in Steps(Load(file)))
        {
            var action = step["action"]!.GetValue<string>();
            if (!AwsCallingActions.Contains(action))
            {
                Assert.Equal("aws:branch", action);
                continue;
            }

            var name = step["name"]!.GetValue<string>();
            var timeout = step["timeoutSeconds"]?.GetValue<string>();
            Assert.True(int.TryParse(timeout, out var seconds) && seconds > 0, $"{file}: step {name} has no timeoutSeconds");
            Assert.True(action != "aws:executeScript" || seconds <= 600, $"{file}: step {name}: aws:executeScript runs 600 s at most");
            Assert.False(string.IsNullOrEmpty(step["onFailure"]?.GetValue<string>()), $"{file}: step {name} has no onFailure");
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Steps_EveryExecuteScript_RunsPython311WithAHandler(string file)
    {
        foreach (var step in Steps(Load(file)).Where(s => s["action"]!.GetValue<string>() == "aws:executeScript"))
        {
            var inputs = step["inputs"]!;
            Assert.Equal("python3.11", inputs["Runtime"]?.GetValue<string>());
            var handler = inputs["Handler"]!.GetValue<string>();
            Assert.Contains($"def {handler}(events, context):", inputs["Script"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Steps_NamesAndJumps_AreUniqueAndResolve(string file)
    {
        var steps = Steps(Load(file));
        var names = steps.Select(s => s["name"]!.GetValue<string>()).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());

        var targets = steps.Select(s => s["nextStep"]?.GetValue<string>())
            .Concat(steps.Where(s => s["action"]!.GetValue<string>() == "aws:branch").SelectMany(BranchTargets))
            .OfType<string>();
        foreach (var target in targets)
        {
            Assert.Contains(target, names);
        }

        Assert.Equal("true", steps[^1]["isEnd"]?.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Outputs_EveryDocument_NamesDeclaredStepOutputs(string file)
    {
        var document = Load(file);
        var declared = DeclaredStepOutputs(document);
        var outputs = document["outputs"]?.AsArray().Select(o => o!.GetValue<string>()).ToList() ?? [];

        Assert.NotEmpty(outputs);
        foreach (var output in outputs)
        {
            Assert.Contains(output, declared);
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Variables_EveryReference_IsAParameterAStepOutputOrAnAutomationVariable(string file)
    {
        var document = Load(file);
        var known = DeclaredStepOutputs(document).Concat(Parameters(document).Select(p => p.Key)).ToHashSet(StringComparer.Ordinal);
        known.Add("automation:EXECUTION_ID");

        foreach (Match reference in Reference().Matches(document.ToJsonString()))
        {
            Assert.Contains(reference.Groups["name"].Value, known);
        }
    }

    /// <summary>Whether <paramref name="file"/>'s parameter accepts <paramref name="value"/> (false for no such parameter).</summary>
    internal static bool Accepts(string file, string parameter, string value)
        => Parameters(Load(file))[parameter]?["allowedPattern"]?.GetValue<string>() is { } pattern && FullyMatches(pattern, value);

    internal static JsonObject Load(string file) => YamlTree.Load(DeployFiles.Runbook(file))!.AsObject();

    private static JsonObject Parameters(JsonObject document) => document["parameters"]!.AsObject();

    private static List<JsonObject> Steps(JsonObject document) => document["mainSteps"]!.AsArray().Select(s => s!.AsObject()).ToList();

    private static IEnumerable<string?> BranchTargets(JsonObject step) =>
        step["inputs"]!["Choices"]!.AsArray().Select(c => c!["NextStep"]?.GetValue<string>())
            .Append(step["inputs"]!["Default"]?.GetValue<string>());

    private static HashSet<string> DeclaredStepOutputs(JsonObject document) =>
        Steps(document).SelectMany(step => (step["outputs"]?.AsArray() ?? [])
                .Select(o => $"{step["name"]!.GetValue<string>()}.{o!["Name"]!.GetValue<string>()}"))
            .ToHashSet(StringComparer.Ordinal);

    private static string PatternOf(string parameter) => DeployFiles.DocumentNames.Keys
        .Select(file => Parameters(Load(file))[parameter]?["allowedPattern"]?.GetValue<string>())
        .OfType<string>()
        .Distinct(StringComparer.Ordinal)
        .Single();

    /// <summary>Whole-value match. A plain <c>Regex.IsMatch</c> is not enough: .NET's <c>$</c> also matches
    /// before a final newline, so "app-web\n" would pass <c>^...$</c>. Whoever checks rendered values
    /// against these patterns needs the same whole-value rule.</summary>
    private static bool FullyMatches(string pattern, string value)
    {
        var match = Regex.Match(value, pattern);
        return match.Success && match.Index == 0 && match.Length == value.Length;
    }

    private static string? WithoutSpaces(string? text) => text?.Replace(" ", "", StringComparison.Ordinal);

    [GeneratedRegex(@"\{\{\s*(?<name>[A-Za-z0-9_:.]+)\s*\}\}")]
    private static partial Regex Reference();
}
