using System.Text.Json.Nodes;
using static RemediationWorker.Tests.Deploy.RunbookSimulation.CloudFormationRecordings;

namespace RemediationWorker.Tests.Deploy.RunbookSimulation;

/// <summary>Every path of RemediationWorker-RemediateStackDrift, on recorded CloudFormation and OpsCenter responses.</summary>
public sealed class RemediateStackDriftRunbookTests
{
    private const string File = "remediate-stack-drift.yaml";
    private const string ChangeSet = $"RemediationWorker-RevertDrift-{RunbookSimulator.ExecutionId}";
    private const string DetectionId = "b78ac9b0-dec1-11e7-a451-503a3example";
    private const string BucketDrift = """{"StackResourceDrifts": [{"LogicalResourceId": "Bucket", "ResourceType": "AWS::S3::Bucket", "StackResourceDriftStatus": "MODIFIED", "PropertyDifferences": [{"PropertyPath": "/VersioningConfiguration/Status"}]}]}""";
    private const string NoDrift = """{"StackResourceDrifts": []}""";
    private const string ReplacingChange = """{"Status": "CREATE_COMPLETE", "Changes": [{"ResourceChange": {"Action": "Modify", "LogicalResourceId": "Bucket", "Replacement": "True", "ResourceType": "AWS::S3::Bucket"}}]}""";
    private const string CreateRejected = """{"$error": {"Code": "ValidationError", "Message": "Stack is in UPDATE_IN_PROGRESS state"}}""";
    private const string SafeChange = """{"Status": "CREATE_COMPLETE", "Changes": [{"ResourceChange": {"Action": "Modify", "LogicalResourceId": "Bucket", "Replacement": "False", "ResourceType": "AWS::S3::Bucket"}}]}""";

    [Theory]
    [InlineData("UPDATE_COMPLETE", ServiceRole, ParentArn, "nested stack")]
    [InlineData("UPDATE_IN_PROGRESS", ServiceRole, null, "UPDATE_IN_PROGRESS")]
    [InlineData("UPDATE_ROLLBACK_FAILED", ServiceRole, null, "UPDATE_ROLLBACK_FAILED")]
    [InlineData("UPDATE_COMPLETE", null, null, "Refused: no service role")]
    public void Run_PreconditionNotMet_RefusesChangingNothing(string status, string? role, string? parentId, string reason)
    {
        var run = Run(new JsonObject(), $$"""{"cloudformation.DescribeStacks": [{{Stack(status, role, parentId)}}]}""");

        run.AssertFailed("Refused:");
        Assert.Contains(reason, run.FailureMessage, StringComparison.Ordinal);
        Assert.Equal(["CheckStack"], run.Steps);
    }

    [Fact]
    public void Run_SafeRevertExecutedAndInSync_SucceedsReportingTheChangeSetAndTheDetection()
    {
        var run = Run(new JsonObject(), $$"""
            {
              "cloudformation.DescribeStacks": [{{Stack("UPDATE_COMPLETE")}}, {{Stack("UPDATE_COMPLETE")}}, {{Stack("UPDATE_IN_PROGRESS")}}, {{Stack("UPDATE_COMPLETE")}}],
              "cloudformation.DescribeStackResourceDrifts": [{{BucketDrift}}, {{BucketDrift}}, {{NoDrift}}],
              "cloudformation.CreateChangeSet": [{"Id": "cs"}],
              "cloudformation.DescribeChangeSet": [{"Status": "CREATE_IN_PROGRESS"}, {{SafeChange}}],
              "cloudformation.ExecuteChangeSet": [{}],
              "cloudformation.DescribeStackEvents": [{{NewestEvent("Console-UpdateStack-7f59c3cf")}}, {{NewestEvent(ChangeSet)}}],
              "cloudformation.DetectStackDrift": [{"StackDriftDetectionId": "{{DetectionId}}"}],
              "cloudformation.DescribeStackDriftDetectionStatus": [{{Detection("DETECTION_IN_PROGRESS", "UNKNOWN")}}, {{Detection("DETECTION_COMPLETE", "IN_SYNC")}}]
            }
            """);

        run.AssertSucceeded();
        var create = Assert.Single(run.Calls("cloudformation.CreateChangeSet"));
        Assert.Equal("REVERT_DRIFT", create["DeploymentMode"]!.GetValue<string>());
        Assert.False(create.ContainsKey("RoleARN"), "a RoleARN would replace the stack's service role");
        Assert.Equal(ChangeSet, Assert.Single(run.Calls("cloudformation.ExecuteChangeSet"))["ClientRequestToken"]!.GetValue<string>());
        Assert.Equal("Executed", run.Output("RevertDrift.RevertStatus"));
        Assert.Equal([ChangeSet, DetectionId], run.CausedIds);
        Assert.Empty(run.Calls("ssm.CreateOpsItem"));
    }

    [Fact]
    public void Run_RevertNeverSeenToBegin_TheStacksOldCompleteStateIsNotTakenAsItsEnd()
    {
        var run = Run(new JsonObject(), $$"""
            {
              "cloudformation.DescribeStacks": [{{Stack("UPDATE_COMPLETE")}}],
              "cloudformation.DescribeStackResourceDrifts": [{{BucketDrift}}],
              "cloudformation.CreateChangeSet": [{"Id": "cs"}],
              "cloudformation.DescribeChangeSet": [{{SafeChange}}],
              "cloudformation.ExecuteChangeSet": [{}],
              "cloudformation.DescribeStackEvents": [{{NewestEvent("Console-UpdateStack-7f59c3cf")}}]
            }
            """);

        Assert.Equal("TimedOut", run.Status);
        Assert.Equal("WaitForRevertToBegin", run.Steps[^1]);
        Assert.Empty(run.Calls("cloudformation.DetectStackDrift"));
        Assert.Equal([ChangeSet], run.CausedIds);
    }

    [Fact]
    public void Run_RevertDriftUnsupported_EscalatesNamingTheStatusAndTheDriftedResources()
    {
        var run = Run(new JsonObject(), $$"""
            {
              "cloudformation.DescribeStacks": [{{Stack("UPDATE_COMPLETE")}}],
              "cloudformation.DescribeStackResourceDrifts": [{{BucketDrift}}],
              "cloudformation.CreateChangeSet": [{"$paramValidation": "Unknown parameter in input: \"DeploymentMode\""}],
              "cloudformation.DetectStackDrift": [{"StackDriftDetectionId": "{{DetectionId}}"}],
              "cloudformation.DescribeStackDriftDetectionStatus": [{{Detection("DETECTION_COMPLETE", "DRIFTED")}}],
              "ssm.CreateOpsItem": [{"OpsItemId": "oi-0123456789ab"}]
            }
            """);

        run.AssertFailed("PartiallyFixed:");
        Assert.Contains("Unsupported", run.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Bucket (AWS::S3::Bucket): MODIFIED /VersioningConfiguration/Status", run.FailureMessage, StringComparison.Ordinal);
        var description = Assert.Single(run.Calls("ssm.CreateOpsItem"))["Description"]!.GetValue<string>();
        Assert.Contains("Revert: Unsupported", description, StringComparison.Ordinal);
        Assert.Contains("Drifted before the revert:\n- Bucket (AWS::S3::Bucket): MODIFIED", description, StringComparison.Ordinal);
        Assert.Empty(run.Calls("cloudformation.ExecuteChangeSet"));
        Assert.Equal([DetectionId], run.CausedIds);
    }

    [Fact]
    public void Run_UnsafeChange_DeletesTheChangeSetAndReportsPartiallyFixed()
    {
        var run = Run(new JsonObject(), $$"""
            {
              "cloudformation.DescribeStacks": [{{Stack("UPDATE_COMPLETE")}}],
              "cloudformation.DescribeStackResourceDrifts": [{{BucketDrift}}],
              "cloudformation.CreateChangeSet": [{"Id": "cs"}],
              "cloudformation.DescribeChangeSet": [{{ReplacingChange}}],
              "cloudformation.DeleteChangeSet": [{}],
              "cloudformation.DetectStackDrift": [{"StackDriftDetectionId": "{{DetectionId}}"}],
              "cloudformation.DescribeStackDriftDetectionStatus": [{{Detection("DETECTION_COMPLETE", "DRIFTED")}}],
              "ssm.CreateOpsItem": [{"OpsItemId": "oi-0123456789ab"}]
            }
            """);

        run.AssertFailed("PartiallyFixed:");
        Assert.Contains("Unsafe", run.FailureMessage, StringComparison.Ordinal);
        Assert.Single(run.Calls("cloudformation.DeleteChangeSet"));
        Assert.Empty(run.Calls("cloudformation.ExecuteChangeSet"));
        Assert.Equal([ChangeSet, DetectionId], run.CausedIds);
    }

    [Fact]
    public void Run_ExecutedButDriftRemains_ReportsPartiallyFixedWithTheRemainingResources()
    {
        var run = Run(new JsonObject(), $$"""
            {
              "cloudformation.DescribeStacks": [{{Stack("UPDATE_COMPLETE")}}, {{Stack("UPDATE_COMPLETE")}}, {{Stack("UPDATE_COMPLETE")}}],
              "cloudformation.DescribeStackResourceDrifts": [{{BucketDrift}}],
              "cloudformation.CreateChangeSet": [{"Id": "cs"}],
              "cloudformation.DescribeChangeSet": [{{SafeChange}}],
              "cloudformation.ExecuteChangeSet": [{}],
              "cloudformation.DescribeStackEvents": [{{NewestEvent(ChangeSet)}}],
              "cloudformation.DetectStackDrift": [{"StackDriftDetectionId": "{{DetectionId}}"}],
              "cloudformation.DescribeStackDriftDetectionStatus": [{{Detection("DETECTION_COMPLETE", "DRIFTED")}}],
              "ssm.CreateOpsItem": [{"OpsItemId": "oi-0123456789ab"}]
            }
            """);

        run.AssertFailed("PartiallyFixed:");
        Assert.Contains("after revert Executed; still drifted: Bucket (AWS::S3::Bucket)", run.FailureMessage, StringComparison.Ordinal);
        Assert.Equal("oi-0123456789ab", run.Output("OpenOpsItem.OpsItemId"));
    }

    [Fact]
    public void Run_NoChangesToRevertAndInSync_Succeeds()
    {
        var run = Run(new JsonObject(), $$"""
            {
              "cloudformation.DescribeStacks": [{{Stack("UPDATE_COMPLETE")}}],
              "cloudformation.DescribeStackResourceDrifts": [{{NoDrift}}],
              "cloudformation.CreateChangeSet": [{"Id": "cs"}],
              "cloudformation.DescribeChangeSet": [{"Status": "FAILED", "StatusReason": "The submitted information didn't contain changes. Submit different information to create a change set."}],
              "cloudformation.DeleteChangeSet": [{}],
              "cloudformation.DetectStackDrift": [{"StackDriftDetectionId": "{{DetectionId}}"}],
              "cloudformation.DescribeStackDriftDetectionStatus": [{{Detection("DETECTION_COMPLETE", "IN_SYNC")}}]
            }
            """);

        run.AssertSucceeded();
        Assert.Equal("NoChanges", run.Output("RevertDrift.RevertStatus"));
        Assert.DoesNotContain("WaitForRevertToBegin", run.Steps);
    }

    [Fact]
    public void Run_DetectionFailedWithoutListingDrift_FailsWithoutAMarker()
    {
        var run = Run(new JsonObject(), $$"""
            {
              "cloudformation.DescribeStacks": [{{Stack("UPDATE_COMPLETE")}}],
              "cloudformation.DescribeStackResourceDrifts": [{{NoDrift}}],
              "cloudformation.CreateChangeSet": [{{CreateRejected}}],
              "cloudformation.DetectStackDrift": [{"StackDriftDetectionId": "{{DetectionId}}"}],
              "cloudformation.DescribeStackDriftDetectionStatus": [{{Detection("DETECTION_FAILED", "IN_SYNC")}}],
              "ssm.CreateOpsItem": [{"OpsItemId": "oi-0123456789ab"}]
            }
            """);

        run.AssertFailed(marker: null);
        Assert.Contains("DETECTION_FAILED", run.FailureMessage, StringComparison.Ordinal);
        Assert.StartsWith("Failed: CreateChangeSet", run.Output("RevertDrift.RevertStatus"), StringComparison.Ordinal);
        Assert.Equal([DetectionId], run.CausedIds);
    }

    private static SimulatedRun Run(JsonObject parameters, string responses) => CloudFormationRecordings.Run(File, parameters, responses);

    private static string Detection(string detectionStatus, string driftStatus) =>
        $$"""{"StackId": "{{StackArn}}", "StackDriftDetectionId": "{{DetectionId}}", "DetectionStatus": "{{detectionStatus}}", "StackDriftStatus": "{{driftStatus}}", "DetectionStatusReason": "Failed to detect drift on resource [Queue]"}""";
}
