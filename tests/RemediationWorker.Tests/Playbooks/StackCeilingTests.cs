using RemediationWorker.Playbooks;
using RemediationWorker.Tests.TestSupport;

namespace RemediationWorker.Tests.Playbooks;

/// <summary>The stack's parameters are a ceiling the operator's file cannot widen.</summary>
public sealed class StackCeilingTests
{
    private const string RunbookRole = "arn:aws:iam::444455556666:role/stack-RunbookRole-ABC";

    [Fact]
    public void Load_BothAllowListsSet_IntersectionInForce()
    {
        var version = Load(json =>
        {
            json["Remediation"]!["allowedAccounts"] = new System.Text.Json.Nodes.JsonArray("111122223333", "444455556666");
            json["Remediation"]!["allowedRegions"] = new System.Text.Json.Nodes.JsonArray("eu-west-1", "us-east-1");
        }, new() { ["Stack:AllowedAccounts"] = "444455556666,777788889999", ["Stack:AllowedRegions"] = "eu-west-1" });

        Assert.Equal(["444455556666"], version.Options.AllowedAccounts);
        Assert.Equal(["eu-west-1"], version.Options.AllowedRegions);
    }

    [Fact]
    public void Load_FileListsNoAccounts_StacksListInForce()
    {
        var version = Load(json => json["Remediation"]!["allowedAccounts"] = new System.Text.Json.Nodes.JsonArray(), new() { ["Stack:AllowedAccounts"] = "444455556666" });

        Assert.Equal(["444455556666"], version.Options.AllowedAccounts);
    }

    [Fact]
    public void Load_FileListsOnlyAccountsTheStackDoesNotAllow_RefusedNamingBoth()
    {
        var result = RemediationConfigurationLoader.Load(TestConfiguration.Shipped(new Dictionary<string, string?> { ["Stack:AllowedAccounts"] = "444455556666" }));

        Assert.False(result.IsValid);
        Assert.Contains("Remediation.allowedAccounts: none of [111122223333] is allowed by the stack (Stack:AllowedAccounts: [444455556666])", result.Errors);
    }

    [Theory]
    [InlineData("Live", "Live", "Live")]
    [InlineData("DryRun", "Live", "DryRun")]
    [InlineData("Live", "DryRun", "DryRun")]
    [InlineData(null, "Live", "Live")]
    public void Load_StackAndFileModes_LiveOnlyWhenBothSayLive(string? stack, string file, string expected)
    {
        var version = Load(json => json["Execution"]!["Mode"] = file, new() { ["Stack:ExecutionMode"] = stack });

        Assert.Equal(expected, version.GlobalMode.ToString());
    }

    [Fact]
    public void Load_PlaybookWithoutAssumeRole_TakesTheStacksRunbookRole()
    {
        var version = Load(json =>
        {
            TestConfiguration.Playbook(json, "drift-sweep")["runbook"]!["automationAssumeRole"] = string.Empty;
        }, new() { ["Stack:RunbookRoleArn"] = RunbookRole });

        Assert.Equal(RunbookRole, version.Playbooks.Single(p => p.Id == "drift-sweep").Options.Runbook.AutomationAssumeRole);
        Assert.NotEqual(RunbookRole, version.Playbooks.Single(p => p.Id == "stack-drift-revert").Options.Runbook.AutomationAssumeRole); // an explicit role stays
    }

    [Fact]
    public void Load_PlaybookWithoutAssumeRoleAndNoStack_RefusedNamingTheField()
    {
        var result = RemediationConfigurationLoader.Load(TestConfiguration.Edited(json => TestConfiguration.Playbook(json, "drift-sweep")["runbook"]!["automationAssumeRole"] = string.Empty));

        Assert.Contains(result.Errors, e => e.StartsWith("playbooks[drift-sweep].runbook.automationAssumeRole", StringComparison.Ordinal));
    }

    private static ConfigurationVersion Load(Action<System.Text.Json.Nodes.JsonObject> edit, Dictionary<string, string?> stack)
    {
        var result = RemediationConfigurationLoader.Load(TestConfiguration.Edited(edit, stack));
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        return result.Version!;
    }
}
