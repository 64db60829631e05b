using System.Text.Json.Nodes;
using static RemediationWorker.Tests.Deploy.RunbookSimulation.CloudFormationRecordings;

namespace RemediationWorker.Tests.Deploy.RunbookSimulation;

/// <summary>Every path of RemediationWorker-ContinueUpdateRollback, on recorded CloudFormation responses.</summary>
public sealed class ContinueUpdateRollbackRunbookTests
{
    private const string File = "continue-update-rollback.yaml";
    private const string Token1 = $"RemediationWorker-{RunbookSimulator.ExecutionId}-1";
    private const string Token2 = $"RemediationWorker-{RunbookSimulator.ExecutionId}-2";

    [Fact]
    public void Run_AlreadyRolledBack_SucceedsWithoutAnyChange()
    {
        var run = Run(new JsonObject(), $$"""{"cloudformation.DescribeStacks": [{{Stack("UPDATE_ROLLBACK_COMPLETE", role: null)}}]}""");

        run.AssertSucceeded();
        Assert.Empty(run.Calls("cloudformation.ContinueUpdateRollback"));
        Assert.Empty(run.CausedIds);
    }

    [Theory]
    [InlineData("UPDATE_ROLLBACK_FAILED", ServiceRole, ParentArn, "nested stack")]
    [InlineData("UPDATE_COMPLETE", ServiceRole, null, "UPDATE_COMPLETE, no longer UPDATE_ROLLBACK_FAILED")]
    [InlineData("UPDATE_ROLLBACK_IN_PROGRESS", ServiceRole, null, "no longer UPDATE_ROLLBACK_FAILED")]
    [InlineData("UPDATE_ROLLBACK_FAILED", null, null, "Refused: no service role")]
    public void Run_PreconditionNotMet_RefusesChangingNothing(string status, string? role, string? parentId, string reason)
    {
        var run = Run(new JsonObject(), $$"""{"cloudformation.DescribeStacks": [{{Stack(status, role, parentId)}}]}""");

        run.AssertFailed("Refused:");
        Assert.Contains(reason, run.FailureMessage, StringComparison.Ordinal);
        Assert.Equal(["CheckStack"], run.Steps);
        Assert.Empty(run.CausedIds);
    }

    [Fact]
    public void Run_ServiceRole_ContinuesWithTheStacksOwnRoleWaitsForItsOwnOperationAndSucceeds()
    {
        var run = Run(new JsonObject(), $$"""
            {
              "cloudformation.DescribeStacks": [{{Stack("UPDATE_ROLLBACK_FAILED")}}, {{Stack("UPDATE_ROLLBACK_IN_PROGRESS")}}, {{Stack("UPDATE_ROLLBACK_COMPLETE")}}],
              "cloudformation.ContinueUpdateRollback": [{}],
              "cloudformation.DescribeStackEvents": [{{NewestEvent("Console-UpdateStack-7f59c3cf")}}, {{NewestEvent(Token1)}}]
            }
            """);

        run.AssertSucceeded();
        var call = Assert.Single(run.Calls("cloudformation.ContinueUpdateRollback"));
        Assert.Equal(Token1, call["ClientRequestToken"]!.GetValue<string>());
        Assert.False(call.ContainsKey("RoleARN"), "a RoleARN would replace the stack's service role");
        Assert.Equal(2, run.Calls("cloudformation.DescribeStackEvents").Count);
        Assert.Equal([Token1], run.CausedIds);
        Assert.Equal(ServiceRole, run.Output("CheckStack.Credentials"));
    }

    [Fact]
    public void Run_NoServiceRoleButCallerCredentialsAllowed_Continues()
    {
        var run = Run(new JsonObject { ["AllowCallerCredentials"] = "true" }, $$"""
            {
              "cloudformation.DescribeStacks": [{{Stack("UPDATE_ROLLBACK_FAILED", role: null)}}, {{Stack("UPDATE_ROLLBACK_COMPLETE", role: null)}}],
              "cloudformation.ContinueUpdateRollback": [{}],
              "cloudformation.DescribeStackEvents": [{{NewestEvent(Token1)}}]
            }
            """);

        run.AssertSucceeded();
        Assert.Equal([Token1], run.CausedIds);
    }

    [Fact]
    public void Run_OperationNeverSeenToBegin_TheOldFailedStateIsNotTakenAsItsResult()
    {
        var run = Run(new JsonObject(), $$"""
            {
              "cloudformation.DescribeStacks": [{{Stack("UPDATE_ROLLBACK_FAILED")}}],
              "cloudformation.ContinueUpdateRollback": [{}],
              "cloudformation.DescribeStackEvents": [{{NewestEvent("Console-UpdateStack-7f59c3cf")}}]
            }
            """);

        Assert.Equal("TimedOut", run.Status);
        Assert.Equal("WaitForRollbackToBegin", run.Steps[^1]);
        Assert.Equal([Token1], run.CausedIds);
    }

    [Fact]
    public void Run_RollbackFailsAgainWithoutSkipping_FailsWithoutAMarker()
    {
        var run = Run(new JsonObject(), $$"""
            {
              "cloudformation.DescribeStacks": [{{Stack("UPDATE_ROLLBACK_FAILED")}}],
              "cloudformation.ContinueUpdateRollback": [{}],
              "cloudformation.DescribeStackEvents": [{{NewestEvent(Token1)}}]
            }
            """);

        run.AssertFailed(marker: null);
        Assert.Contains("UPDATE_ROLLBACK_FAILED", run.FailureMessage, StringComparison.Ordinal);
        Assert.Equal("VerifyRollbackComplete", run.Steps[^1]);
        Assert.DoesNotContain("FindResourcesToSkip", run.Steps);
        Assert.Equal("UPDATE_ROLLBACK_FAILED", run.Output("GetFinalStackStatus.FinalStackStatus"));
    }

    [Fact]
    public void Run_RollbackFailsAgainAndSkippingAllowed_SkipsOnlyTheFailedResourcesAndReportsBothTokens()
    {
        var run = Run(new JsonObject { ["SkipFailedResources"] = "true" }, $$"""
            {
              "cloudformation.DescribeStacks": [
                {{Stack("UPDATE_ROLLBACK_FAILED")}}, {{Stack("UPDATE_ROLLBACK_FAILED")}}, {{Stack("UPDATE_ROLLBACK_FAILED")}},
                {{Stack("UPDATE_ROLLBACK_IN_PROGRESS")}}, {{Stack("UPDATE_ROLLBACK_COMPLETE")}}],
              "cloudformation.ContinueUpdateRollback": [{}],
              "cloudformation.DescribeStackEvents": [{{NewestEvent(Token1)}}, {{RollbackEvents}}, {{NewestEvent(Token2)}}],
              "cloudformation.ListStackResources": [{"StackResourceSummaries": [
                {"LogicalResourceId": "Queue", "ResourceType": "AWS::SQS::Queue", "ResourceStatus": "UPDATE_FAILED"},
                {"LogicalResourceId": "Topic", "ResourceType": "AWS::SNS::Topic", "ResourceStatus": "UPDATE_FAILED"},
                {"LogicalResourceId": "Bucket", "ResourceType": "AWS::S3::Bucket", "ResourceStatus": "UPDATE_COMPLETE"}]}]
            }
            """);

        run.AssertSucceeded();
        var calls = run.Calls("cloudformation.ContinueUpdateRollback");
        Assert.Equal(2, calls.Count);
        Assert.Equal(["Queue"], calls[1]["ResourcesToSkip"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal(Token2, calls[1]["ClientRequestToken"]!.GetValue<string>());
        Assert.All(calls, c => Assert.False(c.ContainsKey("RoleARN")));
        Assert.Equal([Token1, Token2], run.CausedIds);
        Assert.Equal(["Topic: UPDATE_FAILED, but not by the latest rollback"], run.Outputs["FindResourcesToSkip.NotSkipped"]!.AsArray().Select(r => r!.GetValue<string>()));
    }

    [Fact]
    public void Run_SkippingAllowedButNothingQualifies_FailsWithoutContinuingAgain()
    {
        var run = Run(new JsonObject { ["SkipFailedResources"] = "true" }, $$"""
            {
              "cloudformation.DescribeStacks": [{{Stack("UPDATE_ROLLBACK_FAILED")}}],
              "cloudformation.ContinueUpdateRollback": [{}],
              "cloudformation.DescribeStackEvents": [{{NewestEvent(Token1)}}, {{RollbackEvents}}],
              "cloudformation.ListStackResources": [{"StackResourceSummaries": [
                {"LogicalResourceId": "Topic", "ResourceType": "AWS::SNS::Topic", "ResourceStatus": "UPDATE_FAILED"}]}]
            }
            """);

        run.AssertFailed(marker: null);
        Assert.Contains("No resource qualifies", run.FailureMessage, StringComparison.Ordinal);
        Assert.Single(run.Calls("cloudformation.ContinueUpdateRollback"));
    }

    /// <summary>Newest first: Queue's rollback failed after the latest UPDATE_ROLLBACK_IN_PROGRESS; Topic's failure is older.</summary>
    private const string RollbackEvents = $$"""
        {"StackEvents": [
          {"StackId": "{{StackArn}}", "LogicalResourceId": "app-web", "PhysicalResourceId": "{{StackArn}}", "ResourceStatus": "UPDATE_ROLLBACK_FAILED"},
          {"StackId": "{{StackArn}}", "LogicalResourceId": "Queue", "PhysicalResourceId": "q", "ResourceStatus": "UPDATE_FAILED"},
          {"StackId": "{{StackArn}}", "LogicalResourceId": "app-web", "PhysicalResourceId": "{{StackArn}}", "ResourceStatus": "UPDATE_ROLLBACK_IN_PROGRESS"},
          {"StackId": "{{StackArn}}", "LogicalResourceId": "Topic", "PhysicalResourceId": "t", "ResourceStatus": "UPDATE_FAILED"}]}
        """;

    private static SimulatedRun Run(JsonObject parameters, string responses) => CloudFormationRecordings.Run(File, parameters, responses);
}
