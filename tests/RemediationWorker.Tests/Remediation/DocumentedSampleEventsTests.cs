using System.Text.Json.Nodes;
using RemediationWorker.Audit;
using RemediationWorker.Tests.TestSupport;

namespace RemediationWorker.Tests.Remediation;

/// <summary>Events shaped as AWS documents them, with their account and region allowed, plan runs. The CloudFormation
/// samples' <c>stack-id</c> is <c>arn:aws:cloudformation:us-west-1:111122223333:stack/teststack</c>, without the
/// <c>/uuid</c> real stack ids end with (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/event-detail-stack-status-change.html,
/// .../event-detail-stack-drift-detection-change.html): the shipped StackName pattern must take it.</summary>
public sealed class DocumentedSampleEventsTests
{
    private const string StackId = "arn:aws:cloudformation:us-west-1:111122223333:stack/teststack";

    public static TheoryData<string, string> Samples() => new()
    {
        { "stack-drift-revert", Envelope("CloudFormation Drift Detection Status Change", new JsonObject
            {
                ["stack-id"] = StackId,
                ["stack-drift-detection-id"] = "3f6e1a80-b9d2-11eb-8f52-0a1b2c3d4e5f",
                ["status-details"] = new JsonObject { ["stack-drift-status"] = "DRIFTED", ["detection-status"] = "DETECTION_COMPLETE" },
                ["drift-detection-details"] = new JsonObject { ["drifted-stack-resource-count"] = 1 },
                ["client-request-token"] = "",
            }) },
        { "stack-rollback-continue", Envelope("CloudFormation Stack Status Change", new JsonObject
            {
                ["stack-id"] = StackId,
                ["status-details"] = new JsonObject { ["status"] = "UPDATE_ROLLBACK_FAILED", ["status-reason"] = "" },
                ["client-request-token"] = "",
            }) },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task ProcessAsync_DocumentedSampleWithItsRegionAllowed_Planned(string playbook, string sample)
    {
        await using var worker = new WorkerFixture(TestConfiguration.Edited(json => json["Remediation"]!["allowedRegions"]!.AsArray().Add("us-west-1")));

        var result = await worker.ProcessAsync(TestEvents.Incoming(sample));

        var verdict = Assert.Single(result.Verdicts);
        Assert.Equal((AuditDecision.Planned, playbook, StackId), (verdict.Decision, verdict.Playbook, verdict.Resource));
    }

    private static string Envelope(string detailType, JsonObject detail) => new JsonObject
    {
        ["version"] = "0",
        ["id"] = "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
        ["detail-type"] = detailType,
        ["source"] = "aws.cloudformation",
        ["account"] = "111122223333",
        ["time"] = "2026-11-26T08:00:00Z",
        ["region"] = "us-west-1",
        ["resources"] = new JsonArray(StackId),
        ["detail"] = detail,
    }.ToJsonString();
}
