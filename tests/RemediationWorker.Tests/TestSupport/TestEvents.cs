using System.Text;
using System.Text.Json.Nodes;
using RemediationWorker.Intake;

namespace RemediationWorker.Tests.TestSupport;

/// <summary>Events in the real shapes (aws-facts.md §1), from the samples or built with chosen values.</summary>
internal static class TestEvents
{
    public const string Account = "111122223333";
    public const string Region = "eu-west-1";
    public const string OrdersStack = "arn:aws:cloudformation:eu-west-1:111122223333:stack/orders-service/7e1d5c20-6f1d-11ef-b2f4-0e9a8b7c6d5e";

    public static JsonObject Sample(string name) => JsonNode.Parse(File.ReadAllText(RepositoryPaths.Sample(name)))!.AsObject();

    /// <summary>A stack stuck in UPDATE_ROLLBACK_FAILED (matches stack-rollback-continue).</summary>
    public static JsonObject RollbackFailed(DateTimeOffset time, string? stackId = null, string? id = null)
    {
        var e = Sample("cfn-stack-update-rollback-failed.json");
        e["id"] = id ?? Guid.NewGuid().ToString();
        e["time"] = time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        if (stackId is not null)
        {
            e["detail"]!["stack-id"] = stackId;
            e["resources"] = new JsonArray(stackId);
        }

        return e;
    }

    public static string StackArn(string name)
        => $"arn:aws:cloudformation:eu-west-1:111122223333:stack/{name}/{Guid.NewGuid()}";

    public static IncomingEvent Incoming(JsonNode e, string name = "test.json") => new(name, Encoding.UTF8.GetBytes(e.ToJsonString()));

    public static IncomingEvent Incoming(string body, string name = "test.json") => new(name, Encoding.UTF8.GetBytes(body));
}
