using System.Text;
using System.Text.Json;

namespace RemediationWorker.Remediation;

/// <summary>Where an event carries an id that one of our runs may have caused: the <c>ClientRequestToken</c> of a
/// CloudFormation call (stack status events), the drift detection id (drift events) and the build id (CodeBuild
/// events; a retried build's id is also matched without its ARN prefix). See the EventBridge event references of
/// CloudFormation and CodeBuild in their user guides.</summary>
internal static class CausedIdFields
{
    private static readonly string[] Fields = ["client-request-token", "stack-drift-detection-id", "build-id"];

    private static readonly byte[] Detail = "detail"u8.ToArray();
    private static readonly byte[][] Utf8Fields = [.. Fields.Select(Encoding.UTF8.GetBytes)];

    /// <summary>The ids in <paramref name="utf8Event"/>'s <c>detail</c>, in the order of the fields above, read from its
    /// bytes without parsing the rest into a document; none when the bytes are not a JSON object
    /// <paramref name="maxDepth"/> deep at most.</summary>
    public static IReadOnlyList<string> In(ReadOnlySpan<byte> utf8Event, int maxDepth)
    {
        var reader = new Utf8JsonReader(utf8Event, new JsonReaderOptions { MaxDepth = maxDepth });
        try
        {
            if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isDetail = reader.ValueTextEquals(Detail);
                    reader.Read();
                    if (isDetail)
                    {
                        return (reader.TokenType == JsonTokenType.StartObject ? InDetail(ref reader) : null) ?? [];
                    }

                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            // not JSON: no ids
        }

        return [];
    }

    private static List<string>? InDetail(ref Utf8JsonReader reader)
    {
        string?[]? found = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = FieldOf(ref reader);
            reader.Read();
            if (field >= 0 && reader.TokenType == JsonTokenType.String)
            {
                (found ??= new string?[Fields.Length])[field] = reader.GetString();
            }

            reader.Skip();
        }

        if (found is null)
        {
            return null;
        }

        var ids = new List<string>(2);
        foreach (var id in found)
        {
            if (id is not { Length: > 0 })
            {
                continue;
            }

            ids.Add(id);
            if (id.IndexOf(":build/", StringComparison.Ordinal) is var at and >= 0)
            {
                ids.Add(id[(at + ":build/".Length)..]); // RetryBuild returns the build's id, the event its ARN
            }
        }

        return ids;
    }

    private static int FieldOf(ref Utf8JsonReader reader)
    {
        for (var i = 0; i < Utf8Fields.Length; i++)
        {
            if (reader.ValueTextEquals(Utf8Fields[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
