using System.Diagnostics;
using System.Text.Json.Nodes;
using RemediationWorker.Testing;

namespace RemediationWorker.Tests.Deploy.RunbookSimulation;

/// <summary>Runs a deploy/runbooks document through simulate.py (python3, standard library only): its aws:branch
/// choices, waits and asserts on recorded AWS responses, and its aws:executeScript handlers as written, with a
/// fake boto3 that answers from the same recordings.</summary>
internal static class RunbookSimulator
{
    public const string ExecutionId = "5f6c1e2a-0b4d-4c8e-9a7f-3d2b1c0e9f88";
    public const string RunbookRole = "arn:aws:iam::111122223333:role/remediation-worker-RunbookRole-1A2B3C4D5E6F";

    private static readonly string Script = Path.Combine(RepositoryPaths.Root, "tests", "RemediationWorker.Tests", "Deploy", "RunbookSimulation", "simulate.py");

    /// <param name="file">The runbook file in deploy/runbooks.</param>
    /// <param name="parameters">The document parameters besides AutomationAssumeRole.</param>
    /// <param name="responses">"service.Api" → the responses in the order they are given out (the last repeats).</param>
    public static SimulatedRun Run(string file, JsonObject parameters, string responses)
    {
        parameters["AutomationAssumeRole"] = RunbookRole;
        var request = new JsonObject
        {
            ["document"] = RunbookDocumentTests.Load(file),
            ["parameters"] = parameters,
            ["executionId"] = ExecutionId,
            ["responses"] = JsonNode.Parse(responses),
        };

        var start = new ProcessStartInfo("python3")
        {
            ArgumentList = { Script },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        var error = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(request.ToJsonString());
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"simulate.py exited {process.ExitCode}: {error.Result}");

        var run = new SimulatedRun(JsonNode.Parse(output)!.AsObject());
        Assert.True(run.Status != "SimulatorError", run.FailureMessage);
        return run;
    }
}
