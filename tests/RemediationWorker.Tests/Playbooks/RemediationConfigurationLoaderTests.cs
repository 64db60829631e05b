using System.Text.Json.Nodes;
using RemediationWorker.Playbooks;
using RemediationWorker.Tests.TestSupport;

namespace RemediationWorker.Tests.Playbooks;

public sealed class RemediationConfigurationLoaderTests
{
    [Fact]
    public void Load_ShippedAppSettings_IsValidWithTheThreeFaultsAndTheSweepInDryRun()
    {
        var result = RemediationConfigurationLoader.Load(TestConfiguration.Shipped());

        Assert.Empty(result.Errors);
        Assert.Equal(["stack-drift-revert", "stack-rollback-continue", "codebuild-transient-retry", "drift-sweep"], result.Version!.Playbooks.Select(p => p.Id));
        Assert.Equal(RunMode.DryRun, result.Version.GlobalMode);
        Assert.All(result.Version.Playbooks, p => Assert.Equal(RunMode.DryRun, result.Version.EffectiveMode(p)));
        Assert.Equal(ConfigurationHash.Length, result.Version.Hash.Length);
    }

    [Fact]
    public void Load_UnknownFieldInPlaybook_NamesPlaybookAndField()
    {
        var errors = ErrorsAfter(json => TestConfiguration.Playbook(json, "stack-drift-revert")["runbok"] = "typo");

        Assert.Contains(errors, e => e.StartsWith("playbooks[stack-drift-revert].runbok: unknown field", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_UnknownFieldInParameter_NamesTheParameter()
    {
        var errors = ErrorsAfter(json => TestConfiguration.Playbook(json, "codebuild-transient-retry")["runbook"]!["parameters"]!["BuildId"]!["allowedPatern"] = ".*");

        Assert.Contains(errors, e => e.StartsWith("playbooks[codebuild-transient-retry].runbook.parameters.BuildId.allowedPatern: unknown field", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_UnknownGlobalField_NamesIt()
    {
        var errors = ErrorsAfter(json => json["Remediation"]!["killswich"] = true);

        Assert.Contains(errors, e => e.StartsWith("killswich: unknown field", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_InvalidPattern_NamesPlaybookAndEngineProblem()
    {
        var errors = ErrorsAfter(json => TestConfiguration.Playbook(json, "stack-drift-revert")["pattern"] = """{"detail":{"stack-id":[{"prefix":5}]}}""");

        var error = Assert.Single(errors, e => e.StartsWith("playbooks[stack-drift-revert].pattern: ", StringComparison.Ordinal));
        Assert.Contains("detail.stack-id", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TemplateFieldNotGuaranteedByPattern_IsRefused()
    {
        var errors = ErrorsAfter(json => TestConfiguration.Playbook(json, "stack-rollback-continue")["runbook"]!["parameters"]!["StackName"]!["value"] = "{{detail.client-request-token}}");

        Assert.Contains(errors, e => e.StartsWith("playbooks[stack-rollback-continue].runbook.parameters.StackName.value: {{detail.client-request-token}} names a field the pattern does not guarantee", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_TemplateOverEnvelopeField_IsAllowed()
    {
        var result = Load(json => TestConfiguration.Playbook(json, "stack-rollback-continue")["runbook"]!["parameters"]!["Region"] = new JsonObject
        {
            ["value"] = "{{region}}",
            ["allowedPattern"] = "[a-z]{2}(-[a-z]+)+-[0-9]",
        });

        Assert.Empty(result.Errors);
    }

    [Fact]
    public void Load_ResourceNotGuaranteedByPattern_IsRefused()
    {
        var errors = ErrorsAfter(json => TestConfiguration.Playbook(json, "stack-drift-revert")["resource"] = "resources[0]");

        Assert.Contains(errors, e => e.StartsWith("playbooks[stack-drift-revert].resource: resources[0] is not guaranteed by the pattern", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_ParameterWithoutAllowedPattern_IsRefused()
    {
        var errors = ErrorsAfter(json => TestConfiguration.Playbook(json, "codebuild-transient-retry")["runbook"]!["parameters"]!["ProjectName"]!.AsObject().Remove("allowedPattern"));

        Assert.Contains("playbooks[codebuild-transient-retry].runbook.parameters.ProjectName.allowedPattern: is required; every value is checked before it leaves the process", errors);
    }

    [Fact]
    public void Load_LiteralFailingItsOwnPattern_IsRefused()
    {
        var errors = ErrorsAfter(json => TestConfiguration.Playbook(json, "codebuild-transient-retry")["runbook"]!["parameters"]!["ProjectName"]!["value"] = "not allowed!");

        Assert.Contains(errors, e => e.StartsWith("playbooks[codebuild-transient-retry].runbook.parameters.ProjectName.value: the literal value", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("maxAttempts", "0", "limits.maxAttempts: 0 is outside 1..100")]
    [InlineData("timeout", "13:00:00", "limits.timeout: 13:00:00 must be positive and at most 12:00:00")]
    [InlineData("cooldown", "-00:01:00", "limits.cooldown: -00:01:00 must not be negative")]
    [InlineData("attemptWindow", "00:15:00", "limits: maxAttempts 2 within attemptWindow 00:15:00 can never be reached with cooldown 00:20:00")]
    [InlineData("cooldown", "fifteen minutes", "limits.cooldown: \"fifteen minutes\" is not a time span such as 00:15:00")]
    public void Load_ImpossibleLimits_NamePlaybookAndField(string field, string value, string expected)
    {
        var errors = ErrorsAfter(json => TestConfiguration.Playbook(json, "stack-rollback-continue")["limits"]![field] = value);

        Assert.Contains(errors, e => e.StartsWith($"playbooks[stack-rollback-continue].{expected}", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_UnknownMode_IsRefused()
    {
        var errors = ErrorsAfter(json => TestConfiguration.Playbook(json, "stack-drift-revert")["mode"] = "Lve");

        Assert.Equal(["playbooks[stack-drift-revert].mode: \"Lve\" is not one of DryRun, Live; did you mean Live?"], errors);
    }

    [Fact]
    public void Load_DuplicateId_IsRefused()
    {
        var errors = ErrorsAfter(json => TestConfiguration.Playbook(json, "stack-rollback-continue")["id"] = "stack-drift-revert");

        Assert.Contains("playbooks[stack-drift-revert].id: is used by an earlier playbook too", errors);
    }

    [Fact]
    public void Load_ImpossibleGlobalLimits_AreRefused()
    {
        var errors = ErrorsAfter(json =>
        {
            json["Remediation"]!["limits"]!["maxInFlight"] = 0;
            json["Remediation"]!["allowedAccounts"] = new JsonArray("12345");
        });

        Assert.Contains(errors, e => e.StartsWith("limits.maxInFlight: 0 is outside 1..1000", StringComparison.Ordinal));
        Assert.Contains("allowedAccounts: \"12345\" is not a 12-digit account id", errors);
    }

    [Fact]
    public void Load_EnvironmentOverride_ChangesValueAndHash()
    {
        var shipped = RemediationConfigurationLoader.Load(TestConfiguration.Shipped()).Version!;

        var overridden = RemediationConfigurationLoader.Load(TestConfiguration.Shipped(new Dictionary<string, string?>
        {
            ["Remediation:Playbooks:0:Enabled"] = "false", // Remediation__Playbooks__0__Enabled=false
        })).Version!;

        Assert.DoesNotContain(overridden.Playbooks, p => p.Id == "stack-drift-revert");
        Assert.NotEqual(shipped.Hash, overridden.Hash);
    }

    [Fact]
    public void Load_PatternOverriddenAsStringFromEnvironment_ReplacesTheFilesObject()
    {
        var result = RemediationConfigurationLoader.Load(TestConfiguration.Shipped(new Dictionary<string, string?>
        {
            ["Remediation:Playbooks:1:Pattern"] = """{"detail":{"stack-id":[{"prefix":1}]}}""",
        }));

        Assert.Contains(result.Errors, e => e.StartsWith("playbooks[stack-rollback-continue].pattern: detail.stack-id", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_PatternChildOverriddenFromEnvironment_ChangesTheObjectForm()
    {
        var version = RemediationConfigurationLoader.Load(TestConfiguration.Shipped(new Dictionary<string, string?>
        {
            ["Remediation:Playbooks:1:Pattern:detail:status-details:status:0"] = "UPDATE_ROLLBACK_COMPLETE",
        })).Version!;

        Assert.Contains("UPDATE_ROLLBACK_COMPLETE", version.Playbooks[1].Options.Pattern, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SameContentDifferentFormatting_SameHash()
    {
        var compact = TestConfiguration.ShippedJson().ToJsonString();

        var a = RemediationConfigurationLoader.Load(TestConfiguration.FromJson(compact)).Version!;
        var b = RemediationConfigurationLoader.Load(TestConfiguration.Shipped()).Version!;

        Assert.Equal(a.Hash, b.Hash);
    }

    [Fact]
    public void Load_LiveExecutionMode_ChangesHashAndEffectiveModeOnlyForLivePlaybooks()
    {
        var version = Load(
            json => TestConfiguration.Playbook(json, "stack-drift-revert")["mode"] = "Live",
            new Dictionary<string, string?> { ["Execution:Mode"] = "Live" }).Version!;

        Assert.Equal(RunMode.Live, version.EffectiveMode(version.Playbooks[0]));
        Assert.Equal(RunMode.DryRun, version.EffectiveMode(version.Playbooks[1]));
    }

    [Fact]
    public void Load_PatternAsJsonString_IsAccepted()
    {
        var result = Load(json => TestConfiguration.Playbook(json, "stack-rollback-continue")["pattern"] =
            """{"source":["aws.cloudformation"],"detail-type":["CloudFormation Stack Status Change"],"detail":{"stack-id":[{"prefix":"arn:aws:cloudformation:"}],"status-details":{"status":["UPDATE_ROLLBACK_FAILED"]}}}""");

        Assert.Empty(result.Errors);
    }

    private static ConfigurationLoadResult Load(Action<JsonObject> edit, IDictionary<string, string?>? overrides = null)
        => RemediationConfigurationLoader.Load(TestConfiguration.Edited(edit, overrides));

    private static IReadOnlyList<string> ErrorsAfter(Action<JsonObject> edit)
    {
        var result = Load(edit);
        Assert.Null(result.Version);
        return result.Errors;
    }
}
