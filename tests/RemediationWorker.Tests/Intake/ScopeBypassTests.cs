using RemediationWorker.Audit;
using RemediationWorker.Intake;
using RemediationWorker.Tests.TestSupport;

namespace RemediationWorker.Tests.Intake;

/// <summary>The duplicate-member scope bypass: the matcher would accept the event if any of two <c>stack-id</c>
/// members matched while the renderer used the last. The strict reader rejects it before either reads it.</summary>
public sealed class ScopeBypassTests
{
    [Fact]
    public async Task ProcessAsync_TwoStackIdsFirstInScope_RejectedNothingPlanned()
    {
        var configuration = TestConfiguration.Edited(json =>
            TestConfiguration.Playbook(json, "stack-drift-revert")["pattern"]!["detail"]!["stack-id"] = new System.Text.Json.Nodes.JsonArray(
                new System.Text.Json.Nodes.JsonObject { ["prefix"] = "arn:aws:cloudformation:eu-west-1:111122223333:stack/app-" }));
        await using var worker = new WorkerFixture(configuration);
        var body = File.ReadAllBytes(Path.Combine(HostileInputContractTests.Fixtures, "duplicate-stack-id.json"));

        var result = await worker.ProcessAsync(new IncomingEvent("duplicate-stack-id.json", body));

        Assert.Equal(EventOutcome.Rejected, result.Outcome);
        var record = Assert.Single(worker.Audit.Records);
        Assert.Equal(AuditDecision.Rejected, record.Decision);
        Assert.Equal("duplicate-stack-id.json", record.Input);
        Assert.Equal("duplicate-member: \"stack-id\" appears twice in detail", record.Reason);
    }

    [Fact]
    public async Task ProcessAsync_OneStackIdInScope_Planned()
    {
        // The same event with the duplicate removed is planned: the rejection above is the duplicate's.
        var configuration = TestConfiguration.Edited(json =>
            TestConfiguration.Playbook(json, "stack-drift-revert")["pattern"]!["detail"]!["stack-id"] = new System.Text.Json.Nodes.JsonArray(
                new System.Text.Json.Nodes.JsonObject { ["prefix"] = "arn:aws:cloudformation:eu-west-1:111122223333:stack/app-" }));
        await using var worker = new WorkerFixture(configuration);
        var lines = File.ReadAllLines(Path.Combine(HostileInputContractTests.Fixtures, "duplicate-stack-id.json")).Where(l => !l.Contains("prod-database", StringComparison.Ordinal));

        var result = await worker.ProcessAsync(new IncomingEvent("one.json", System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines))));

        Assert.Equal(AuditDecision.Planned, Assert.Single(result.Verdicts).Decision);
        Assert.Contains("stack/app-web/", Assert.Single(result.Verdicts).Resource, StringComparison.Ordinal);
    }
}
