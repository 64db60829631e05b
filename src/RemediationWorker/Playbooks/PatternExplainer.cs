using System.Runtime.CompilerServices;
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
                patternFields.Add(new Field(string.Join('.', path), [.. conditions.Select(c => c!.ToJsonString())], conditions.ToJsonString(), indexes));
            }

            fields.Add([.. patternFields]);
        }

        return new PatternExplainer(PatternMatcher.Compile(compiled, options), [.. fields]);
    }

    /// <summary>One line per field of pattern <paramref name="pattern"/>; empty when the event cannot be read.</summary>
    public IReadOnlyList<string> Explain(int pattern, byte[] utf8Event)
    {
        var matches = new List<int>();
        var values = new FieldValues(Matcher);
        return Matcher.TryMatch(utf8Event, matches, values, out _)
            ? [.. _fields[pattern].Select(field => field.Explain(matches, utf8Event, values))]
            : [];
    }

    /// <summary>The pattern that came closest (fewest fields deciding <c>no match</c>; the first of equals), with the
    /// first field that did not match: <c>nearest playbook P: FIELD: decides no match: …</c>, or, when every field
    /// matches alone, that they do not match in one array element. Null when there is no pattern.
    /// <paramref name="matches"/> and <paramref name="values"/> are what <see cref="Matcher"/> found in
    /// <paramref name="utf8Event"/>: the line shows the field's values from where the walk saw them, without reading
    /// the event again.</summary>
    public string? NearestMiss(IReadOnlyList<string> names, IReadOnlyList<int> matches, ReadOnlySpan<byte> utf8Event, FieldValues values)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(matches);
        if (_fields.Length == 0)
        {
            return null;
        }

        var (nearest, misses, first) = (0, int.MaxValue, (Field?)null);
        for (var i = 0; i < _fields.Length && misses > 0; i++)
        {
            var (count, firstMiss) = (0, (Field?)null);
            foreach (var field in _fields[i])
            {
                if (field.MatchedBy(matches) < 0)
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

        return first.NearestMiss(names[nearest], misses, matches, utf8Event, values);
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

    /// <summary>One field of a pattern: its path (the name <see cref="FieldValues"/> knows it by), its conditions (each,
    /// and all, as JSON), and each condition's index in the shared matcher.</summary>
    private sealed record Field(string Name, string[] Each, string All, int[] Indexes)
    {
        private const int Shown = 5;

        private MissMemo? _lastMiss; // replaced whole, so a handler on another thread sees an old memo or a new one

        /// <summary>The first condition <see cref="Matcher"/> found met in the event, or -1.</summary>
        public int MatchedBy(IReadOnlyList<int> matches)
        {
            for (var at = 0; at < Indexes.Length; at++)
            {
                for (var i = 0; i < matches.Count; i++)
                {
                    if (matches[i] == Indexes[at])
                    {
                        return at;
                    }
                }
            }

            return -1;
        }

        public string Explain(IReadOnlyList<int> matches, ReadOnlySpan<byte> utf8Event, FieldValues values)
        {
            Span<Range> shown = stackalloc Range[Shown];
            var count = Math.Max(0, values.Find(Name, shown));
            return Line(MatchedBy(matches), utf8Event, shown, count);
        }

        /// <summary>The <c>no-match</c> reason naming this field: the same text as the last time when the playbook, the
        /// count of missing fields and the values shown are the same (unmatched events tend to repeat them), built anew
        /// otherwise.</summary>
        public string NearestMiss(string playbook, int misses, IReadOnlyList<int> matches, ReadOnlySpan<byte> utf8Event, FieldValues values)
        {
            Span<Range> shown = stackalloc Range[Shown];
            var count = Math.Max(0, values.Find(Name, shown));
            var at = MatchedBy(matches);
            var kept = shown[..Math.Min(count, Shown)];
            if (_lastMiss is { } last && last.Is(playbook, misses, at, count, utf8Event, kept))
            {
                return last.Text;
            }

            var more = misses > 1 ? $" (and {misses - 1} more fields)" : string.Empty;
            var text = $"nearest playbook {playbook}: {Line(at, utf8Event, shown, count)}{more}";
            _lastMiss = MissMemo.Of(playbook, misses, at, count, utf8Event, kept, text);
            return text;
        }

        private string Line(int at, ReadOnlySpan<byte> utf8Event, ReadOnlySpan<Range> shown, int count)
        {
            if (at >= 0)
            {
                return count == 0
                    ? $"{Name}: matched by {Each[at]} (the field is absent)"
                    : $"{Name}: matched by {Each[at]} (the event has {Show(utf8Event, shown, count)})";
            }

            return count == 0
                ? $"{Name}: decides no match: the field is missing from the event (the pattern wants {All})"
                : $"{Name}: decides no match: no value matched; the event has {Show(utf8Event, shown, count)}, the pattern wants {All}";
        }

        /// <summary>Up to five values, each written as JSON with the serializer's default escaping.</summary>
        private static string Show(ReadOnlySpan<byte> utf8Event, ReadOnlySpan<Range> shown, int count)
        {
            var text = new DefaultInterpolatedStringHandler(0, 0);
            for (var i = 0; i < Math.Min(count, Shown); i++)
            {
                text.AppendLiteral(i == 0 ? string.Empty : ", ");
                var value = EventValueText.Write(utf8Event[shown[i]]);
                text.AppendFormatted(value.Length <= 200 ? value : value.AsSpan(0, 200));
                text.AppendLiteral(value.Length <= 200 ? string.Empty : "…");
            }

            if (count > Shown)
            {
                text.AppendLiteral(" and ");
                text.AppendFormatted(count - Shown);
                text.AppendLiteral(" more");
            }

            return text.ToStringAndClear();
        }
    }

    /// <summary>A <c>no-match</c> reason with what it was made from: the values shown, as their bytes.</summary>
    private sealed record MissMemo(string Playbook, int Misses, int At, int Count, byte[] Values, int[] Lengths, string Text)
    {
        public static MissMemo Of(string playbook, int misses, int at, int count, ReadOnlySpan<byte> utf8Event, ReadOnlySpan<Range> values, string text)
        {
            var lengths = new int[values.Length];
            var bytes = new List<byte>();
            for (var i = 0; i < values.Length; i++)
            {
                var value = utf8Event[values[i]];
                lengths[i] = value.Length;
                bytes.AddRange(value);
            }

            return new MissMemo(playbook, misses, at, count, [.. bytes], lengths, text);
        }

        public bool Is(string playbook, int misses, int at, int count, ReadOnlySpan<byte> utf8Event, ReadOnlySpan<Range> values)
        {
            if (!string.Equals(playbook, Playbook, StringComparison.Ordinal) || misses != Misses || at != At || count != Count || values.Length != Lengths.Length)
            {
                return false;
            }

            var offset = 0;
            for (var i = 0; i < values.Length; i++)
            {
                var value = utf8Event[values[i]];
                if (value.Length != Lengths[i] || !value.SequenceEqual(Values.AsSpan(offset, value.Length)))
                {
                    return false;
                }

                offset += value.Length;
            }

            return true;
        }
    }
}
