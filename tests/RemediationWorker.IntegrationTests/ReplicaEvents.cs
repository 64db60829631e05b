using System.Text.Json.Nodes;

namespace RemediationWorker.IntegrationTests;

/// <summary>Events for the process-level tests, and what to read back from them.</summary>
internal static class ReplicaEvents
{
    /// <summary>The event id and the resource (the stack) of a drift or stack-status event.</summary>
    public static (string EventId, string Stack) Identify(string body)
    {
        var json = JsonNode.Parse(body)!;
        return ((string)json["id"]!, (string)json["detail"]!["stack-id"]!);
    }

    /// <summary>A stack stuck in <c>UPDATE_ROLLBACK_FAILED</c> (the shipped sample, with a new event id).</summary>
    public static string RollbackFailed(string stack)
    {
        var json = JsonNode.Parse(TestEvents.Sample("cfn-stack-update-rollback-failed.json"))!.AsObject();
        json["id"] = Guid.NewGuid().ToString();
        json["resources"] = new JsonArray(stack);
        json["detail"]!["stack-id"] = stack;
        return json.ToJsonString();
    }
}
