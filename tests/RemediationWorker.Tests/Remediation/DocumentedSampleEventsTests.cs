using System.Text.Json.Nodes;
using RemediationWorker.Audit;
using RemediationWorker.Tests.Deploy;
using RemediationWorker.Tests.TestSupport;

namespace RemediationWorker.Tests.Remediation;

/// <summary>Events shaped as AWS documents them, with their account and region allowed, plan runs, and the runbook the
/// run starts accepts every parameter it is given (its <c>allowedPattern</c>s, deploy/runbooks), so that the
/// playbooks' patterns and the runbooks' cannot drift apart. The CloudFormation samples' <c>stack-id</c> is
/// <c>arn:aws:cloudformation:us-west-1:111122223333:stack/teststack</c>, without the <c>/uuid</c> real stack ids end
/// with (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/event-detail-stack-status-change.html,
/// .../event-detail-stack-drift-detection-change.html): the shipped StackName patterns must take it. CodeBuild
/// documents the "Build State Change" format with a build that succeeded
/// (https://docs.aws.amazon.com/codebuild/latest/userguide/sample-build-notifications-ref.html); the sample here is
/// that format, its account, region, project and build id, with the build failed in <c>PROVISIONING</c>.</summary>
public sealed class DocumentedSampleEventsTests
{
    private const string StackId = "arn:aws:cloudformation:us-west-1:111122223333:stack/teststack";
    private const string BuildId = "arn:aws:codebuild:us-west-2:123456789012:build/my-sample-project:8745a7a9-c340-456a-9166-edf953571bEX";

    public static TheoryData<string, string, string> Samples() => new()
    {
        { "stack-drift-revert", StackId, Envelope("CloudFormation Drift Detection Status Change", new JsonObject
            {
                ["stack-id"] = StackId,
                ["stack-drift-detection-id"] = "3f6e1a80-b9d2-11eb-8f52-0a1b2c3d4e5f",
                ["status-details"] = new JsonObject { ["stack-drift-status"] = "DRIFTED", ["detection-status"] = "DETECTION_COMPLETE" },
                ["drift-detection-details"] = new JsonObject { ["drifted-stack-resource-count"] = 1 },
                ["client-request-token"] = "",
            }) },
        { "stack-rollback-continue", StackId, Envelope("CloudFormation Stack Status Change", new JsonObject
            {
                ["stack-id"] = StackId,
                ["status-details"] = new JsonObject { ["status"] = "UPDATE_ROLLBACK_FAILED", ["status-reason"] = "" },
                ["client-request-token"] = "",
            }) },
        { "codebuild-transient-retry", "my-sample-project", BuildStateChangeFailedInProvisioning },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task ProcessAsync_DocumentedSampleWithItsAccountAndRegionAllowed_PlannedWithParametersTheRunbookAccepts(string playbook, string resource, string sample)
    {
        await using var worker = new WorkerFixture(TestConfiguration.Edited(json =>
        {
            json["Remediation"]!["allowedRegions"]!.AsArray().Add("us-west-1");
            json["Remediation"]!["allowedRegions"]!.AsArray().Add("us-west-2");
            json["Remediation"]!["allowedAccounts"]!.AsArray().Add("123456789012");
        }));

        var result = await worker.ProcessAsync(TestEvents.Incoming(sample));

        var verdict = Assert.Single(result.Verdicts);
        Assert.Equal((AuditDecision.Planned, playbook, resource), (verdict.Decision, verdict.Playbook, verdict.Resource));
        var planned = Assert.Single(worker.Audit.Of(AuditDecision.Planned));
        var runbook = DeployFiles.DocumentNames.Single(d => d.Value == planned.DocumentName).Key;
        Assert.NotEmpty(planned.Parameters!);
        Assert.All(planned.Parameters!, parameter => Assert.True(
            RunbookDocumentTests.Accepts(runbook, parameter.Key, parameter.Value),
            $"{runbook} refuses {parameter.Key} = {parameter.Value}"));
    }

    /// <summary>The documented "Build State Change" format (sample-build-notifications-ref), failed in PROVISIONING.</summary>
    private const string BuildStateChangeFailedInProvisioning = $$"""
        {
          "version": "0",
          "id": "c030038d-8c4d-6141-9545-00ff7b7153EX",
          "detail-type": "CodeBuild Build State Change",
          "source": "aws.codebuild",
          "account": "123456789012",
          "time": "2017-09-01T16:14:28Z",
          "region": "us-west-2",
          "resources": [ "{{BuildId}}" ],
          "detail": {
            "build-status": "FAILED",
            "project-name": "my-sample-project",
            "build-id": "{{BuildId}}",
            "additional-information": {
              "environment": {
                "image": "aws/codebuild/standard:5.0",
                "privileged-mode": false,
                "compute-type": "BUILD_GENERAL1_SMALL",
                "type": "LINUX_CONTAINER",
                "environment-variables": []
              },
              "timeout-in-minutes": 60,
              "build-complete": true,
              "initiator": "MyCodeBuildDemoUser",
              "build-start-time": "Sep 1, 2017 4:12:29 PM",
              "source": { "location": "codebuild-123456789012-input-bucket/my-input-artifact.zip", "type": "S3" },
              "logs": {
                "group-name": "/aws/codebuild/my-sample-project",
                "stream-name": "8745a7a9-c340-456a-9166-edf953571bEX",
                "deep-link": "https://console.aws.amazon.com/cloudwatch/home?region=us-west-2#logEvent:group=/aws/codebuild/my-sample-project;stream=8745a7a9-c340-456a-9166-edf953571bEX"
              },
              "phases": [
                { "phase-context": [], "start-time": "Sep 1, 2017 4:12:29 PM", "end-time": "Sep 1, 2017 4:12:29 PM", "duration-in-seconds": 0, "phase-type": "SUBMITTED", "phase-status": "SUCCEEDED" },
                { "phase-context": [], "start-time": "Sep 1, 2017 4:12:29 PM", "end-time": "Sep 1, 2017 4:13:05 PM", "duration-in-seconds": 36, "phase-type": "PROVISIONING", "phase-status": "FAILED" },
                { "start-time": "Sep 1, 2017 4:13:05 PM", "phase-type": "COMPLETED" }
              ]
            },
            "current-phase": "COMPLETED",
            "current-phase-context": "[]",
            "version": "1"
          }
        }
        """;

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
