using System.Text.Json.Nodes;
using RemediationWorker.Testing;

namespace RemediationWorker.IntegrationTests;

/// <summary>The shipped sample events, and fresh copies of them (new id, new stack) for volume.</summary>
internal static class TestEvents
{
    public static string Sample(string name) => File.ReadAllText(Path.Combine(RepositoryPaths.Root, "samples", "events", name));

    /// <summary>A drift event of its own: a new event id and a stack of its own.</summary>
    public static string Drift(int n)
    {
        var json = JsonNode.Parse(Sample("cfn-drift-detected.json"))!.AsObject();
        var stack = $"arn:aws:cloudformation:eu-west-1:111122223333:stack/app-{n}/0c2a8e40-6f1b-11ef-9d3e-{n:D12}";
        json["id"] = Guid.NewGuid().ToString();
        json["resources"] = new JsonArray(stack);
        json["detail"]!["stack-id"] = stack;
        return json.ToJsonString();
    }
}
