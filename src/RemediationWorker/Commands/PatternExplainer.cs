using System.Text.Json;
using System.Text.Json.Nodes;
using EventPatterns;

namespace RemediationWorker.Commands;

/// <summary>Why a pattern matches an event or not, field by field, for <c>test-pattern --explain</c>: each field the
/// pattern names is tried alone, each of its conditions alone, with the same engine, so the words follow its
/// semantics. A field whose conditions none match decides a <c>no match</c> (missing, or which values were there);
/// on a match each field names the condition that matched it. <c>$or</c> branches are tried as whole patterns.</summary>
internal static class PatternExplainer
{
    public static IReadOnlyList<string> Explain(string patternJson, byte[] utf8Event)
    {
        var lines = new List<string>();
        var pattern = JsonNode.Parse(patternJson)!.AsObject();
        JsonNode? @event;
        try
        {
            @event = JsonNode.Parse(utf8Event);
        }
        catch (JsonException)
        {
            return lines;
        }

        foreach (var (path, conditions) in Leaves(pattern, []))
        {
            lines.Add(ExplainField(path, conditions, @event, utf8Event));
        }

        return lines;
    }

    private static string ExplainField(List<string> path, JsonArray conditions, JsonNode? @event, byte[] utf8Event)
    {
        var name = string.Join('.', path);
        var matched = conditions.FirstOrDefault(c => Matches(Nest(path, new JsonArray(c!.DeepClone())), utf8Event));
        var values = ValuesAt(@event, path).ToList();
        if (matched is not null)
        {
            return values.Count == 0
                ? $"{name}: matched by {matched.ToJsonString()} (the field is absent)"
                : $"{name}: matched by {matched.ToJsonString()} (the event has {Show(values)})";
        }

        return values.Count == 0
            ? $"{name}: decides no match: the field is missing from the event (the pattern wants {conditions.ToJsonString()})"
            : $"{name}: decides no match: no value matched; the event has {Show(values)}, the pattern wants {conditions.ToJsonString()}";
    }

    private static bool Matches(JsonObject pattern, byte[] utf8Event)
    {
        var matches = new List<int>();
        return EventPattern.TryParse(pattern.ToJsonString(), out var parsed, out _)
               && PatternMatcher.Compile([parsed]).TryMatch(utf8Event, matches, out _) && matches.Count > 0;
    }

    /// <summary>Each field the pattern names with its list of conditions (the <c>$or</c> branches' fields too).</summary>
    private static IEnumerable<(List<string> Path, JsonArray Conditions)> Leaves(JsonObject node, List<string> path)
    {
        foreach (var (key, value) in node)
        {
            if (key == "$or" && value is JsonArray branches)
            {
                foreach (var branch in branches.OfType<JsonObject>())
                {
                    foreach (var leaf in Leaves(branch, path))
                    {
                        yield return leaf;
                    }
                }
            }
            else if (value is JsonObject child)
            {
                foreach (var leaf in Leaves(child, [.. path, key]))
                {
                    yield return leaf;
                }
            }
            else if (value is JsonArray conditions)
            {
                yield return ([.. path, key], conditions);
            }
        }
    }

    private static JsonObject Nest(List<string> path, JsonNode leaf)
    {
        var node = leaf;
        for (var i = path.Count - 1; i >= 0; i--)
        {
            node = new JsonObject { [path[i]] = node };
        }

        return (JsonObject)node;
    }

    /// <summary>The values at <paramref name="path"/>, arrays flattened as the engine reads them.</summary>
    private static IEnumerable<JsonNode?> ValuesAt(JsonNode? node, IEnumerable<string> path)
    {
        if (!path.Any())
        {
            if (node is JsonArray array)
            {
                return array.SelectMany(item => ValuesAt(item, []));
            }

            return [node];
        }

        return node switch
        {
            JsonObject obj when obj.TryGetPropertyValue(path.First(), out var child) => ValuesAt(child, path.Skip(1)),
            JsonArray array => array.SelectMany(item => ValuesAt(item, path)),
            _ => [],
        };
    }

    private static string Show(List<JsonNode?> values)
    {
        var shown = string.Join(", ", values.Take(5).Select(v => v is null ? "null" : Bounded(v.ToJsonString())));
        return values.Count > 5 ? $"{shown} and {values.Count - 5} more" : shown;
    }

    private static string Bounded(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
