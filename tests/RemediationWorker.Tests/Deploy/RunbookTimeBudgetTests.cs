using RemediationWorker.Playbooks;
using RemediationWorker.Tests.TestSupport;

namespace RemediationWorker.Tests.Deploy;

/// <summary>A playbook's tracking timeout is never shorter than its runbook's worst case, derived from the
/// document.</summary>
public sealed class RunbookTimeBudgetTests
{
    [Theory]
    [MemberData(nameof(Files))]
    public void WorstCase_EveryRunbook_IsTheSumOfItsStepsTimeoutTimesAttempts(string file)
    {
        var steps = RunbookDocumentTests.Load(file)["mainSteps"]!.AsArray().Select(s => s!.AsObject());
        var derived = TimeSpan.FromSeconds(steps
            .Where(s => s["action"]!.GetValue<string>() != "aws:branch")
            .Sum(s => long.Parse(s["timeoutSeconds"]!.GetValue<string>()) * long.Parse(s["maxAttempts"]?.GetValue<string>() ?? "1")));

        Assert.Equal(derived, RunbookTimeBudgets.WorstCases[DeployFiles.DocumentNames[file]]);
    }

    [Fact]
    public void WorstCases_NameExactlyTheProjectsDocuments() =>
        Assert.Equal(DeployFiles.DocumentNames.Values.Order(StringComparer.Ordinal), RunbookTimeBudgets.WorstCases.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(PlaybookIds))]
    public void ShippedPlaybook_Timeout_IsAtLeastItsRunbooksWorstCase(string id)
    {
        var playbook = TestConfiguration.Playbook(TestConfiguration.ShippedJson(), id);
        var timeout = TimeSpan.Parse(playbook["limits"]!["timeout"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);

        Assert.True(
            timeout >= RunbookTimeBudgets.WorstCases[playbook["runbook"]!["documentName"]!.GetValue<string>()],
            $"{id}: timeout {timeout}");
    }

    [Fact]
    public void Validate_TimeoutShorterThanTheRunbooksWorstCase_IsRefusedNamingBothFigures()
    {
        var result = RemediationConfigurationLoader.Load(TestConfiguration.Edited(json =>
            TestConfiguration.Playbook(json, "stack-rollback-continue")["limits"]!["timeout"] = "01:00:00"));

        Assert.Null(result.Version);
        Assert.Contains(
            "playbooks[stack-rollback-continue].limits.timeout: 01:00:00 is shorter than the worst case of RemediationWorker-ContinueUpdateRollback, 02:21:00 "
                + "(the sum of its steps' timeoutSeconds × maxAttempts); raise it to at least that",
            result.Errors);
    }

    [Fact]
    public void Validate_TimeoutEqualToTheWorstCase_IsAccepted()
    {
        var result = RemediationConfigurationLoader.Load(TestConfiguration.Edited(json =>
            TestConfiguration.Playbook(json, "stack-rollback-continue")["limits"]!["timeout"] = "02:21:00"));

        Assert.Empty(result.Errors);
        Assert.NotNull(result.Version);
    }

    public static TheoryData<string> Files => DeployFiles.RunbookFiles();

    public static TheoryData<string> PlaybookIds() => new(
        TestConfiguration.ShippedJson()["Remediation"]!["playbooks"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()));
}
