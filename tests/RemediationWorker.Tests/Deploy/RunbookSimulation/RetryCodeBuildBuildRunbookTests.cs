using System.Text.Json.Nodes;

namespace RemediationWorker.Tests.Deploy.RunbookSimulation;

/// <summary>Every path of RemediationWorker-RetryCodeBuildBuild, on recorded CodeBuild responses.</summary>
public sealed class RetryCodeBuildBuildRunbookTests
{
    private const string File = "retry-codebuild-build.yaml";
    private const string BuildId = "app-build:0b4d4c8e-9a7f-3d2b-1c0e-9f885f6c1e2a";
    private const string NewBuildId = "app-build:7e1c2d3a-4b5c-4d6e-8f90-a1b2c3d4e5f6";
    private const string ProvisioningFailed = """{"phaseType": "PROVISIONING", "phaseStatus": "FAILED", "contexts": [{"statusCode": "BUILD_CONTAINER_UNABLE_TO_PULL_IMAGE"}]}""";
    private const string CompileFailed = """{"phaseType": "BUILD", "phaseStatus": "FAILED", "contexts": [{"statusCode": "COMMAND_EXECUTION_ERROR"}]}""";
    private const string BuildThrottled = """{"phaseType": "BUILD", "phaseStatus": "FAILED", "contexts": [{"statusCode": "ThrottlingException"}]}""";

    public static TheoryData<string, string, string> Refusals => new()
    {
        { "other-project", Builds(Build(BuildId, "FAILED", ProvisioningFailed)), "does not belong to project" },
        { "app-build", """{"builds": []}""", "was not found" },
        { "app-build", Builds(Build(BuildId, "SUCCEEDED", ProvisioningFailed)), "is SUCCEEDED, not failed" },
        { "app-build", Builds(Build(BuildId, "FAILED", ProvisioningFailed, """{"autoRetryLimit": 2, "autoRetryNumber": 1}""")), "auto-retry is retrying" },
        { "app-build", Builds(Build(BuildId, "FAILED", CompileFailed)), "phase BUILD failed (COMMAND_EXECUTION_ERROR); not transient" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Run_NotATransientFailureOfThisProject_RefusesWithoutRetrying(string project, string builds, string reason)
    {
        var run = Run(project, $$"""{"codebuild.BatchGetBuilds": [{{builds}}]}""");

        run.AssertFailed("Refused:");
        Assert.Contains(reason, run.FailureMessage, StringComparison.Ordinal);
        Assert.Empty(run.Calls("codebuild.RetryBuild"));
        Assert.Empty(run.CausedIds);
    }

    [Theory]
    [InlineData(ProvisioningFailed)]
    [InlineData(BuildThrottled)]
    public void Run_TransientFailureRetriedBuildSucceeds_SucceedsFollowingTheNewBuildById(string failedPhase)
    {
        var run = Run("app-build", $$"""
            {
              "codebuild.BatchGetBuilds": [{{Builds(Build(BuildId, "FAILED", failedPhase))}}, {{Builds(Build(NewBuildId, "IN_PROGRESS"))}}, {{Builds(Build(NewBuildId, "SUCCEEDED"))}}],
              "codebuild.RetryBuild": [{{Retried}}]
            }
            """);

        run.AssertSucceeded();
        var retry = Assert.Single(run.Calls("codebuild.RetryBuild"));
        Assert.Equal(BuildId, retry["id"]!.GetValue<string>());
        Assert.Equal(RunbookSimulator.ExecutionId, retry["idempotencyToken"]!.GetValue<string>());
        Assert.All(run.Calls("codebuild.BatchGetBuilds").Skip(1), call => Assert.Equal(NewBuildId, call["ids"]![0]!.GetValue<string>()));
        Assert.Equal([NewBuildId], run.CausedIds);
    }

    [Fact]
    public void Run_RetriedBuildFails_FailsWithoutAMarkerNamingItsStatus()
    {
        var run = Run("app-build", $$"""
            {
              "codebuild.BatchGetBuilds": [{{Builds(Build(BuildId, "FAILED", ProvisioningFailed))}}, {{Builds(Build(NewBuildId, "FAILED", CompileFailed))}}],
              "codebuild.RetryBuild": [{{Retried}}]
            }
            """);

        run.AssertFailed(marker: null);
        Assert.Equal("FAILED", run.Output("GetRetriedBuildStatus.NewBuildStatus"));
        Assert.Contains("FAILED", run.FailureMessage, StringComparison.Ordinal);
        Assert.Equal([NewBuildId], run.CausedIds);
    }

    private static string Retried => new JsonObject { ["build"] = new JsonObject { ["id"] = NewBuildId, ["buildStatus"] = "IN_PROGRESS" } }.ToJsonString();

    private static SimulatedRun Run(string project, string responses) =>
        RunbookSimulator.Run(File, new JsonObject { ["BuildId"] = $"arn:aws:codebuild:us-east-1:111122223333:build/{BuildId}", ["ProjectName"] = project }, responses);

    private static string Builds(string build) => $$"""{"builds": [{{build}}]}""";

    private static string Build(string id, string status, string? failedPhase = null, string autoRetry = "{}") =>
        $$"""{"id": "{{id}}", "buildStatus": "{{status}}", "autoRetryConfig": {{autoRetry}}, "phases": [{"phaseType": "SUBMITTED", "phaseStatus": "SUCCEEDED"}{{(failedPhase is null ? "" : ", " + failedPhase)}}]}""";
}
