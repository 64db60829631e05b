using System.Text.Json.Nodes;

namespace RemediationWorker.Tests.Deploy.RunbookSimulation;

/// <summary>Both paths of RemediationWorker-DriftSweep, on recorded CloudFormation responses.</summary>
public sealed class DriftSweepRunbookTests
{
    private const string Stacks = """
        {"StackSummaries": [
          {"StackName": "app-web", "StackStatus": "UPDATE_COMPLETE"},
          {"StackName": "app-db", "StackStatus": "CREATE_COMPLETE"},
          {"StackName": "other", "StackStatus": "CREATE_COMPLETE"}]}
        """;

    [Fact]
    public void Run_EveryDetectionStarts_SucceedsReportingEachDetectionId()
    {
        var run = Run("""[{"StackDriftDetectionId": "d-app-db"}, {"StackDriftDetectionId": "d-app-web"}]""");

        run.AssertSucceeded();
        Assert.Equal(["app-db", "app-web"], run.Calls("cloudformation.DetectStackDrift").Select(c => c["StackName"]!.GetValue<string>()));
        Assert.Equal(["d-app-db", "d-app-web"], run.CausedIds);
    }

    [Fact]
    public void Run_OneDetectionRefused_FailsAfterTheOthersReportingWhatItStarted()
    {
        var run = Run("""[{"$error": {"Code": "ValidationError", "Message": "Stack app-db is in UPDATE_IN_PROGRESS"}}, {"StackDriftDetectionId": "d-app-web"}]""");

        run.AssertFailed(marker: null);
        Assert.Contains("1 stack(s) were not swept", run.FailureMessage, StringComparison.Ordinal);
        Assert.Equal(["d-app-web"], run.CausedIds);
    }

    private static SimulatedRun Run(string detections) => RunbookSimulator.Run(
        "drift-sweep.yaml",
        new JsonObject { ["StackNamePrefix"] = "app-" },
        $$"""{"cloudformation.ListStacks": [{{Stacks}}], "cloudformation.DetectStackDrift": {{detections}}}""");
}
