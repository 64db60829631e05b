using System.Text.Json.Nodes;

namespace RemediationWorker.Tests.Deploy;

/// <summary>Minimal but realistically shaped EventBridge events (docs/aws-facts.md section 1) for checking the
/// template's rules, with the values <see cref="StackTemplateTests"/> deploys: account 111122223333, us-east-1,
/// stack-name prefix "app-", CodeBuild projects "app-build" and "app-deploy".</summary>
internal static class FixtureEvents
{
    public const string Account = "111122223333";
    public const string Region = "us-east-1";

    /// <summary>Fixture name → event JSON.</summary>
    public static IReadOnlyDictionary<string, string> All { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["stack-update-rollback-failed"] = StackStatusChange("app-web", "UPDATE_ROLLBACK_FAILED", Region),
        ["stack-create-complete"] = StackStatusChange("app-web", "CREATE_COMPLETE", Region),
        ["stack-update-rollback-failed-out-of-scope"] = StackStatusChange("billing-web", "UPDATE_ROLLBACK_FAILED", Region),
        ["stack-update-rollback-failed-other-region"] = StackStatusChange("app-web", "UPDATE_ROLLBACK_FAILED", "eu-west-1"),
        ["drift-drifted"] = DriftDetectionStatusChange("app-web", "DRIFTED", 2),
        ["drift-in-sync"] = DriftDetectionStatusChange("app-web", "IN_SYNC", 0),
        ["drift-drifted-out-of-scope"] = DriftDetectionStatusChange("billing-web", "DRIFTED", 1),
        ["build-failed"] = BuildStateChange("app-build", "FAILED"),
        ["build-succeeded"] = BuildStateChange("app-build", "SUCCEEDED"),
        ["build-failed-out-of-scope"] = BuildStateChange("billing-build", "FAILED"),
    };

    private static string StackId(string stack, string region) =>
        $"arn:aws:cloudformation:{region}:{Account}:stack/{stack}/5f6c1e2a-0b4d-4c8e-9a7f-3d2b1c0e9f88";

    private static JsonObject Envelope(string detailType, string source, string region, string resource, JsonObject detail) => new()
    {
        ["version"] = "0",
        ["id"] = "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
        ["detail-type"] = detailType,
        ["source"] = source,
        ["account"] = Account,
        ["time"] = "2026-03-02T10:15:30Z",
        ["region"] = region,
        ["resources"] = new JsonArray(resource),
        ["detail"] = detail,
    };

    private static string StackStatusChange(string stack, string status, string region) =>
        Envelope("CloudFormation Stack Status Change", "aws.cloudformation", region, StackId(stack, region), new JsonObject
        {
            ["stack-id"] = StackId(stack, region),
            ["status-details"] = new JsonObject
            {
                ["status"] = status,
                ["status-reason"] = status == "UPDATE_ROLLBACK_FAILED" ? "The following resource(s) failed to update: [Database]." : "",
            },
            ["client-request-token"] = "Console-UpdateStack-7f59c3cf-00d2-40c7-b2ff-e75db0987002",
        }).ToJsonString();

    private static string DriftDetectionStatusChange(string stack, string driftStatus, int drifted) =>
        Envelope("CloudFormation Drift Detection Status Change", "aws.cloudformation", Region, StackId(stack, Region), new JsonObject
        {
            ["stack-id"] = StackId(stack, Region),
            ["stack-drift-detection-id"] = "c3f2d1e0-4b5a-4c6d-8e9f-0a1b2c3d4e5f",
            ["status-details"] = new JsonObject
            {
                ["stack-drift-status"] = driftStatus,
                ["detection-status"] = "DETECTION_COMPLETE",
            },
            ["drift-detection-details"] = new JsonObject { ["drifted-stack-resource-count"] = drifted },
            ["client-request-token"] = "",
        }).ToJsonString();

    private static string BuildStateChange(string project, string status)
    {
        var buildId = $"arn:aws:codebuild:{Region}:{Account}:build/{project}:0e2b8a3c-6f1d-4a59-9c3e-7d4f5a6b7c8d";
        var failedPhase = status == "FAILED";
        return Envelope("CodeBuild Build State Change", "aws.codebuild", Region, buildId, new JsonObject
        {
            ["build-status"] = status,
            ["project-name"] = project,
            ["build-id"] = buildId,
            ["additional-information"] = new JsonObject
            {
                ["build-complete"] = true,
                ["initiator"] = "codepipeline/app-pipeline",
                ["build-start-time"] = "Mar 2, 2026 10:12:29 AM",
                ["timeout-in-minutes"] = 60,
                ["phases"] = new JsonArray(
                    new JsonObject
                    {
                        ["phase-context"] = new JsonArray(),
                        ["start-time"] = "Mar 2, 2026 10:12:29 AM",
                        ["end-time"] = "Mar 2, 2026 10:12:29 AM",
                        ["duration-in-seconds"] = 0,
                        ["phase-type"] = "SUBMITTED",
                        ["phase-status"] = "SUCCEEDED",
                    },
                    new JsonObject
                    {
                        ["phase-context"] = failedPhase
                            ? new JsonArray("CLIENT_ERROR: error pulling image configuration: toomanyrequests")
                            : new JsonArray(),
                        ["start-time"] = "Mar 2, 2026 10:12:29 AM",
                        ["end-time"] = "Mar 2, 2026 10:13:01 AM",
                        ["duration-in-seconds"] = 32,
                        ["phase-type"] = "PROVISIONING",
                        ["phase-status"] = failedPhase ? "FAILED" : "SUCCEEDED",
                    },
                    new JsonObject { ["start-time"] = "Mar 2, 2026 10:13:01 AM", ["phase-type"] = "COMPLETED" }),
            },
            ["current-phase"] = "COMPLETED",
            ["current-phase-context"] = "[]",
            ["version"] = "1",
        }).ToJsonString();
    }
}
