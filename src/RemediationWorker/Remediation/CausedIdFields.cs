using System.Text.Json;

namespace RemediationWorker.Remediation;

/// <summary>Where an event carries an id that one of our runs may have caused: the <c>ClientRequestToken</c> of a
/// CloudFormation call (stack status events), the drift detection id (drift events) and the build id (CodeBuild
/// events; a retried build's id is also matched without its ARN prefix). See the EventBridge event references of
/// CloudFormation and CodeBuild in their user guides.</summary>
internal static class CausedIdFields
{
    private static readonly string[] Fields = ["client-request-token", "stack-drift-detection-id", "build-id"];

    public static IReadOnlyList<string> In(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("detail", out var detail) || detail.ValueKind != JsonValueKind.Object)
        {
            return [];
        }

        var ids = new List<string>(2);
        foreach (var field in Fields)
        {
            if (detail.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } id)
            {
                ids.Add(id);
                if (id.IndexOf(":build/", StringComparison.Ordinal) is var at and >= 0)
                {
                    ids.Add(id[(at + ":build/".Length)..]); // RetryBuild returns the build's id, the event its ARN
                }
            }
        }

        return ids;
    }
}
