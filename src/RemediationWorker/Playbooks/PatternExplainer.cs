using System.Text.Json;
using System.Text.Json.Nodes;
using EventPatterns;

namespace RemediationWorker.Playbooks;

/// <summary>Why patterns match an event or not, field by field: each field a pattern names is tried alone, each of its
/// conditions alone, with the same engine, so the words follow its semantics. A field whose conditions none match
/// decides a <c>no match</c> (missing, or which values were there); on a match each field names the condition that
/// matched it. <c>$or</c> branches' fields are listed too. The patterns and every condition alone are compiled into
/// one <see cref="Matcher"/> (the patterns first, at their own indexes), so the pass that matches an event also says
/// which conditions it meets: explaining costs no second pass. Used by <c>test-pattern --explain</c> and by the
/// <c>no-match</c> audit record (<see cref="NearestMiss"/>).</summary>
internal sealed class PatternExplainer
{
    private readonly Field[][] _fields;

    private PatternExplainer(PatternMatcher matcher, Field[][] fields)
    {
        Matcher = matcher;
        _fields = fields;
    }

    /// <summary>Matches the patterns (indexes below <see cref="PatternCount"/>) and their conditions alone (above).</summary>
    public PatternMatcher Matcher { get; }

    public int PatternCount => _fields.Length;

    /// <summary>Compiles the explainer of valid patterns (pattern index = position).</summary>
    public static PatternExplainer Create(IReadOnlyList<EventPattern> patterns, MatcherOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        var compiled = new List<EventPattern>(patterns);
        var fields = new List<Field[]>();
        foreach (var pattern in patterns)
        {
            var patternFields = new List<Field>();
            foreach (var (path, conditions) in Leaves(JsonNode.Parse(pattern.Json)!.AsObject(), []))
            {
                // A condition that is not a valid pattern alone never matches alone (index -1).
                var indexes = conditions.Select(c => EventPattern.TryParse(Nest(path, new JsonArray(c?.DeepClone())).ToJsonString(), out var parsed, out _)
                    ? Add(compiled, parsed)
                    : -1).ToArray();
                patternFields.Add(new Field(path, string.Join('.', path), [.. conditions.Select(c => c!.ToJsonString())], conditions.ToJsonString(), indexes));
            }

            fields.Add([.. patternFields]);
        }

        return new PatternExplainer(PatternMatcher.Compile(compiled, options), [.. fields]);
    }

    /// <summary>One line per field of pattern <paramref name="pattern"/>; empty when the event cannot be read.</summary>
    public IReadOnlyList<string> Explain(int pattern, byte[] utf8Event)
    {
        var matches = new List<int>();
        if (!Matcher.TryMatch(utf8Event, matches, out _))
        {
            return [];
        }

        var matched = Flags(matches);
        try
        {
            using var document = JsonDocument.Parse(utf8Event);
            return [.. _fields[pattern].Select(field => field.Explain(matched, document.RootElement))];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>The pattern that came closest (fewest fields deciding <c>no match</c>; the first of equals), with the
    /// first field that did not match: <c>nearest playbook P: FIELD: decides no match: …</c>, or, when every field
    /// matches alone, that they do not match in one array element. Null when there is no pattern.
    /// <paramref name="matches"/> is what <see cref="Matcher"/> found in the event, <paramref name="root"/> the event
    /// parsed (for the values the line shows).</summary>
    public string? NearestMiss(IReadOnlyList<string> names, IReadOnlyList<int> matches, JsonElement root)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(matches);
        if (_fields.Length == 0)
        {
            return null;
        }

        var matched = Flags(matches);
        var (nearest, misses, first) = (0, int.MaxValue, (Field?)null);
        for (var i = 0; i < _fields.Length && misses > 0; i++)
        {
            var (count, firstMiss) = (0, (Field?)null);
            foreach (var field in _fields[i])
            {
                if (!field.IsMatched(matched))
                {
                    count++;
                    firstMiss ??= field;
                }
            }

            if (count < misses)
            {
                (nearest, misses, first) = (i, count, firstMiss);
            }
        }

        if (first is null)
        {
            return $"nearest playbook {names[nearest]}: every field matches on its own, not together: the fields of one "
                + "array element must match in that same element";
        }

        var more = misses > 1 ? $" (and {misses - 1} more fields)" : string.Empty;
        return $"nearest playbook {names[nearest]}: {first.Explain(matched, root)}{more}";
    }

    private bool[] Flags(IReadOnlyList<int> matches)
    {
        var matched = new bool[Matcher.Count];
        foreach (var index in matches)
        {
            matched[index] = true;
        }

        return matched;
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

    /// <summary>One field of a pattern: its path and name, its conditions (each, and all, as JSON), and each
    /// condition's index in the shared matcher.</summary>
    private sealed record Field(List<string> Path, string Name, string[] Each, string All, int[] Indexes)
    {
        public bool IsMatched(bool[] matched) => Array.FindIndex(Indexes, i => i >= 0 && matched[i]) >= 0;

        public string Explain(bool[] matched, JsonElement root)
        {
            var name = Name;
            var at = Array.FindIndex(Indexes, i => i >= 0 && matched[i]);
            var values = new List<JsonElement>();
            ValuesAt(root, 0, values);
            if (at >= 0)
            {
                var condition = Each[at];
                return values.Count == 0
                    ? $"{name}: matched by {condition} (the field is absent)"
                    : $"{name}: matched by {condition} (the event has {Show(values)})";
            }

            return values.Count == 0
                ? $"{name}: decides no match: the field is missing from the event (the pattern wants {All})"
                : $"{name}: decides no match: no value matched; the event has {Show(values)}, the pattern wants {All}";
        }

        /// <summary>The values at <see cref="Path"/> from <paramref name="depth"/> on, arrays flattened as the engine
        /// reads them.</summary>
        private void ValuesAt(JsonElement node, int depth, List<JsonElement> values)
        {
            if (node.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in node.EnumerateArray())
                {
                    ValuesAt(item, depth, values);
                }
            }
            else if (depth == Path.Count)
            {
                values.Add(node);
            }
            else if (node.ValueKind == JsonValueKind.Object && node.TryGetProperty(Path[depth], out var child))
            {
                ValuesAt(child, depth + 1, values);
            }
        }

        /// <summary>Up to five values, each written as JSON with the serializer's default escaping.</summary>
        private static string Show(List<JsonElement> values)
        {
            var shown = string.Join(", ", values.Take(5).Select(v => Bounded(JsonSerializer.Serialize(v, PatternExplainerJson.Default.JsonElement))));
            return values.Count > 5 ? $"{shown} and {values.Count - 5} more" : shown;
        }

        private static string Bounded(string text) => text.Length <= 200 ? text : text[..200] + "…";
    }
}
