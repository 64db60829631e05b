using System.Text.Json;
using System.Text.Json.Nodes;
using EventPatterns;

namespace RemediationWorker.Playbooks;

/// <summary>Why patterns match an event or not, field by field: each field a pattern names is tried alone, each of its
/// conditions alone, with the same engine, so the words follow its semantics. A field whose conditions none match
/// decides a <c>no match</c> (missing, or which values were there); on a match each field names the condition that
/// matched it. <c>$or</c> branches' fields are listed too. Every condition of every pattern is compiled into one
/// matcher, so explaining an event costs one more pass over it. Used by <c>test-pattern --explain</c> and by the
/// <c>no-match</c> audit record (<see cref="NearestMiss"/>).</summary>
internal sealed class PatternExplainer
{
    private readonly PatternMatcher _conditions;
    private readonly Field[][] _fields;

    private PatternExplainer(PatternMatcher conditions, Field[][] fields)
    {
        _conditions = conditions;
        _fields = fields;
    }

    /// <summary>Compiles the explainer of valid patterns (pattern index = position).</summary>
    public static PatternExplainer Create(IEnumerable<string> patternsJson)
    {
        var alone = new List<EventPattern>();
        var fields = new List<Field[]>();
        foreach (var json in patternsJson)
        {
            var patternFields = new List<Field>();
            foreach (var (path, conditions) in Leaves(JsonNode.Parse(json)!.AsObject(), []))
            {
                // A condition that is not a valid pattern alone never matches alone (index -1).
                var indexes = conditions.Select(c => EventPattern.TryParse(Nest(path, new JsonArray(c?.DeepClone())).ToJsonString(), out var parsed, out _)
                    ? Add(alone, parsed)
                    : -1).ToArray();
                patternFields.Add(new Field(path, conditions, indexes));
            }

            fields.Add([.. patternFields]);
        }

        return new PatternExplainer(PatternMatcher.Compile(alone), [.. fields]);
    }

    /// <summary>One line per field of pattern <paramref name="pattern"/>; empty when the event is not JSON.</summary>
    public IReadOnlyList<string> Explain(int pattern, byte[] utf8Event)
    {
        var matched = MatchedConditions(utf8Event);
        if (matched is null || !TryParse(utf8Event, out var @event))
        {
            return [];
        }

        return [.. _fields[pattern].Select(field => field.Explain(matched, @event))];
    }

    /// <summary>The pattern that came closest (fewest fields deciding <c>no match</c>; the first of equals), with the
    /// first field that did not match: <c>nearest playbook P: FIELD: decides no match: …</c>, or, when every field
    /// matches alone, that they do not match in one array element. Null when there is no pattern or the event cannot
    /// be read.</summary>
    public string? NearestMiss(IReadOnlyList<string> names, byte[] utf8Event)
    {
        var matched = MatchedConditions(utf8Event);
        if (matched is null || _fields.Length == 0)
        {
            return null;
        }

        var misses = _fields.Select(fields => fields.Where(f => !f.IsMatched(matched)).ToList()).ToList();
        var nearest = Enumerable.Range(0, misses.Count).MinBy(i => misses[i].Count);
        if (!TryParse(utf8Event, out var @event))
        {
            return null;
        }

        if (misses[nearest] is not [var first, ..])
        {
            return $"nearest playbook {names[nearest]}: every field matches on its own, not together: the fields of one "
                + "array element must match in that same element";
        }

        var more = misses[nearest].Count > 1 ? $" (and {misses[nearest].Count - 1} more fields)" : string.Empty;
        return $"nearest playbook {names[nearest]}: {first.Explain(matched, @event)}{more}";
    }

    private HashSet<int>? MatchedConditions(byte[] utf8Event)
    {
        var matches = new List<int>();
        return _conditions.TryMatch(utf8Event, matches, out _) ? [.. matches] : null;
    }

    private static bool TryParse(byte[] utf8Event, out JsonNode? @event)
    {
        try
        {
            @event = JsonNode.Parse(utf8Event);
            return true;
        }
        catch (JsonException)
        {
            @event = null;
            return false;
        }
    }

    private static int Add(List<EventPattern> patterns, EventPattern pattern)
    {
        patterns.Add(pattern);
        return patterns.Count - 1;
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

    /// <summary>One field of a pattern: its path, its conditions, and each condition's index in the shared matcher.</summary>
    private sealed record Field(List<string> Path, JsonArray Conditions, int[] Indexes)
    {
        public bool IsMatched(HashSet<int> matched) => Indexes.Any(matched.Contains);

        public string Explain(HashSet<int> matched, JsonNode? @event)
        {
            var name = string.Join('.', Path);
            var at = Array.FindIndex(Indexes, matched.Contains);
            var values = ValuesAt(@event, Path).ToList();
            if (at >= 0)
            {
                var condition = Conditions[at]!.ToJsonString();
                return values.Count == 0
                    ? $"{name}: matched by {condition} (the field is absent)"
                    : $"{name}: matched by {condition} (the event has {Show(values)})";
            }

            return values.Count == 0
                ? $"{name}: decides no match: the field is missing from the event (the pattern wants {Conditions.ToJsonString()})"
                : $"{name}: decides no match: no value matched; the event has {Show(values)}, the pattern wants {Conditions.ToJsonString()}";
        }

        /// <summary>The values at <paramref name="path"/>, arrays flattened as the engine reads them.</summary>
        private static IEnumerable<JsonNode?> ValuesAt(JsonNode? node, IEnumerable<string> path)
        {
            if (!path.Any())
            {
                return node is JsonArray array ? array.SelectMany(item => ValuesAt(item, [])) : [node];
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
}
