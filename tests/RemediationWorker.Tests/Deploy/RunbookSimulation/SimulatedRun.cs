using System.Text.Json.Nodes;

namespace RemediationWorker.Tests.Deploy.RunbookSimulation;

/// <summary>What a simulated execution ended with: the status and failure message GetAutomationExecution would
/// report, the document's outputs, the steps taken and every AWS call with its arguments.</summary>
internal sealed class SimulatedRun(JsonObject result)
{
    public string Status => result["status"]!.GetValue<string>();

    public string? FailureMessage => result["failureMessage"]?.GetValue<string>();

    public JsonObject Outputs => result["outputs"]!.AsObject();

    public IReadOnlyList<string> Steps => result["steps"]!.AsArray().Select(s => s!.GetValue<string>()).ToList();

    /// <summary>Every id in outputs named <c>&lt;Step&gt;.CausedIds</c>, as the worker collects them.</summary>
    public IReadOnlyList<string> CausedIds => Outputs
        .Where(o => o.Key.EndsWith(".CausedIds", StringComparison.Ordinal))
        .SelectMany(o => o.Value!.AsArray().Select(i => i!.GetValue<string>()))
        .ToList();

    public IReadOnlyList<JsonObject> Calls(string api) => result["calls"]!.AsArray()
        .Where(c => c!["api"]!.GetValue<string>() == api)
        .Select(c => c!["args"]!.AsObject())
        .ToList();

    public string Output(string name) => Outputs[name]!.GetValue<string>();

    /// <summary>The run succeeded: it verified the fix.</summary>
    public void AssertSucceeded() => Assert.True(Status == "Success", $"{Status}: {FailureMessage} after {string.Join(" > ", Steps)}");

    /// <summary>The run failed carrying the contract's marker (<c>Refused:</c> or <c>PartiallyFixed:</c>), or none.</summary>
    public void AssertFailed(string? marker)
    {
        Assert.True(Status == "Failed", $"{Status}: {FailureMessage} after {string.Join(" > ", Steps)}");
        Assert.NotNull(FailureMessage);
        foreach (var known in new[] { "Refused:", "PartiallyFixed:" })
        {
            Assert.True(
                FailureMessage.Contains(known, StringComparison.Ordinal) == (known == marker),
                $"expected marker {marker ?? "(none)"}: {FailureMessage}");
        }
    }
}
