using System.Diagnostics.CodeAnalysis;
using System.Text.Unicode;
using EventPatterns.Matchers;
using EventPatterns.Matching;

namespace EventPatterns;

/// <summary>Many patterns compiled together: answers "which patterns match this event" in one pass
/// over the event's UTF-8 JSON. Thread-safe; one instance per configuration version.</summary>
/// <remarks>
/// Compilation merges every pattern's paths into one trie and every distinct test on a path into
/// that path's matcher list. Reading an event walks the trie key by key, skips every subtree no
/// pattern mentions, and tests each leaf once against its path's matchers, keeping a bit set per
/// leaf. Each pattern branch is then solved over the kept leaves in field-name order, choosing one
/// leaf per field so that no two come from different elements of one array (EventBridge's array
/// consistency); an <c>exists: false</c> field holds when no leaf of it is consistent with the
/// fields chosen before it, as in event-ruler.
/// </remarks>
public sealed class PatternMatcher
{
    private readonly PathNode _root;
    private readonly CompiledField[] _fields;
    private readonly CompiledBranch[][] _patterns;
    private readonly MatcherOptions _options;
    private readonly int _maxConditions;
    private readonly int _backtrackingBudget;
    private readonly int _acceptedWords;

    private PatternMatcher(PathNode root, CompiledField[] fields, CompiledBranch[][] patterns, MatcherOptions options, int backtrackingBudget)
    {
        _backtrackingBudget = backtrackingBudget;
        _acceptedWords = fields.Sum(f => f.Words);
        _root = root;
        _fields = fields;
        _patterns = patterns;
        _options = options;
        _maxConditions = patterns.SelectMany(p => p).Select(b => b.Conditions.Length).DefaultIfEmpty(0).Max();
        FieldIds = fields.Select((f, i) => (f.Path, i)).ToDictionary(f => f.Path, f => f.i, StringComparer.Ordinal);
    }

    /// <summary>Each path a pattern tests, with its field's index (<see cref="FieldValues"/>).</summary>
    internal Dictionary<string, int> FieldIds { get; }

    /// <summary>Number of patterns compiled in.</summary>
    public int Count => _patterns.Length;

    /// <summary>Compiles patterns into one matcher; a pattern's index in <paramref name="patterns"/> is
    /// the index <c>TryMatch</c> reports for it.</summary>
    /// <param name="patterns">The patterns, parsed by <see cref="EventPattern.Parse"/>.</param>
    /// <param name="options">Bounds on the events read; <see cref="MatcherOptions.Default"/> when null.</param>
    /// <returns>The matcher.</returns>
    public static PatternMatcher Compile(IReadOnlyList<EventPattern> patterns, MatcherOptions? options = null)
        => Compile(patterns, options, DefaultBacktrackingBudget);

    /// <summary>Tests set <paramref name="backtrackingBudget"/> to 0 to have every multi-leaf branch decided by
    /// <see cref="ConsistentChoice"/>, and to <see cref="int.MaxValue"/> to have none.</summary>
    internal static PatternMatcher Compile(IReadOnlyList<EventPattern> patterns, MatcherOptions? options, int backtrackingBudget)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        var root = new PathNode();
        var paths = new Dictionary<string, int>(StringComparer.Ordinal);
        var fieldMatchers = new List<List<ValueMatcher>>();
        var fieldMatcherKeys = new List<Dictionary<string, int>>();
        var fieldNeedsEveryLeaf = new List<bool>();

        int FieldOf(string path)
        {
            if (paths.TryGetValue(path, out var id))
            {
                return id;
            }

            id = paths.Count;
            paths.Add(path, id);
            var node = root;
            foreach (var segment in path.Split('.'))
            {
                node = node.GetOrAdd(segment);
            }

            node.FieldId = id;
            fieldMatchers.Add([]);
            fieldMatcherKeys.Add(new Dictionary<string, int>(StringComparer.Ordinal));
            fieldNeedsEveryLeaf.Add(false);
            return id;
        }

        // First pass: fields and their distinct matchers; second: conditions as masks over them.
        var indexed = patterns.Select(p => p.Branches.Select(b => b.Fields.Select(f =>
        {
            var id = FieldOf(f.Path);
            fieldNeedsEveryLeaf[id] |= f.AllowAbsent;
            var indices = new List<int>();
            foreach (var matcher in f.Matchers)
            {
                if (!fieldMatcherKeys[id].TryGetValue(matcher.Key, out var index))
                {
                    index = fieldMatchers[id].Count;
                    fieldMatchers[id].Add(matcher);
                    fieldMatcherKeys[id].Add(matcher.Key, index);
                }

                indices.Add(index);
            }

            return (Id: id, Indices: indices, f.AllowAbsent);
        }).ToArray()).ToArray()).ToArray();

        var notAlone = indexed.SelectMany(branches => branches).Where(conditions => conditions.Length > 1 || conditions.Any(c => c.AllowAbsent))
            .SelectMany(conditions => conditions.Select(c => c.Id)).ToHashSet();
        var acceptedOffset = 0;
        var fields = paths.OrderBy(p => p.Value)
            .Select(p =>
            {
                var field = new CompiledField(p.Key, fieldMatchers[p.Value], fieldNeedsEveryLeaf[p.Value])
                {
                    AloneInEveryBranch = !notAlone.Contains(p.Value),
                    AcceptedOffset = acceptedOffset,
                };
                acceptedOffset += field.Words;
                return field;
            })
            .ToArray();

        var compiled = indexed.Select(branches => branches.Select(conditions => new CompiledBranch(conditions
            .Select(c =>
            {
                var mask = new ulong[fields[c.Id].Words];
                foreach (var index in c.Indices)
                {
                    mask[index / 64] |= 1UL << (index % 64);
                }

                return new CompiledCondition(c.Id, mask, c.AllowAbsent);
            })
            // EventBridge steps through a rule's fields in name order and checks an absence against the
            // fields matched before it; solving in the same order gives exists:false the same meaning.
            .OrderBy(c => fields[c.FieldId].Path, StringComparer.Ordinal)
            .ToArray())).ToArray()).ToArray();

        return new PatternMatcher(root, fields, compiled, options ?? MatcherOptions.Default, backtrackingBudget);
    }

    /// <summary>Reads the event once and adds the indices of the matching patterns to
    /// <paramref name="matches"/> in ascending order.</summary>
    /// <param name="utf8Event">The event's UTF-8 JSON.</param>
    /// <param name="matches">Receives the indices of the matching patterns (not cleared first).</param>
    /// <param name="error">Why the event could not be read (a code <c>Event…</c>), when it returns false.</param>
    /// <returns>false with <paramref name="error"/> set when the event is not a JSON object, is
    /// malformed, too large or too deep, or breaks a rule of the <see cref="MatcherOptions"/>; no exception escapes
    /// for bad input.</returns>
    public bool TryMatch(ReadOnlySpan<byte> utf8Event, List<int> matches, [NotNullWhen(false)] out InvalidPatternException? error)
        => TryMatch(utf8Event, matches, values: null, out error);

    /// <summary>Reads the event once, adds the indices of the matching patterns to <paramref name="matches"/> in
    /// ascending order, and notes in <paramref name="values"/> where each tested field's values are in it.</summary>
    /// <param name="utf8Event">The event's UTF-8 JSON.</param>
    /// <param name="matches">Receives the indices of the matching patterns (not cleared first).</param>
    /// <param name="values">Made for this matcher; starts afresh, and holds what the walk met even when it returns
    /// false (up to where the event was refused).</param>
    /// <param name="error">Why the event could not be read (a code <c>Event…</c>), when it returns false.</param>
    /// <returns>false with <paramref name="error"/> set when the event cannot be read, as the other overload.</returns>
    public bool TryMatch(ReadOnlySpan<byte> utf8Event, List<int> matches, FieldValues? values, [NotNullWhen(false)] out InvalidPatternException? error)
    {
        ArgumentNullException.ThrowIfNull(matches);
        if (values is not null)
        {
            if (values.Matcher != this)
            {
                throw new ArgumentException("the field values were made for another matcher", nameof(values));
            }

            values.Clear();
        }

        if (utf8Event.Length > _options.MaxEventBytes)
        {
            error = new InvalidPatternException(PatternErrorCode.EventTooLarge, string.Empty, $"event is {utf8Event.Length} bytes, over the limit of {_options.MaxEventBytes}");
            return false;
        }

        // Events must be UTF-8 (as EventBridge requires); the reader does not check string bytes it only compares.
        if (!Utf8.IsValid(utf8Event))
        {
            error = new InvalidPatternException(PatternErrorCode.EventNotUtf8, string.Empty, "event is not valid UTF-8");
            return false;
        }

        var scratch = MatchScratch.Get(_fields.Length, _maxConditions, _acceptedWords);
        scratch.Reset();
        scratch.Values = values;
        try
        {
            if (!Read(utf8Event, scratch, out error))
            {
                return false;
            }

            for (var p = 0; p < _patterns.Length; p++)
            {
                foreach (var branch in _patterns[p])
                {
                    if (Matches(branch, scratch))
                    {
                        matches.Add(p);
                        break;
                    }
                }
            }

            return true;
        }
        finally
        {
            scratch.Reset();
            scratch.Values = null;
        }
    }

    private bool Read(ReadOnlySpan<byte> utf8Event, MatchScratch scratch, [NotNullWhen(false)] out InvalidPatternException? error)
    {
        MemberNames? names = null;
        if (_options.RejectDuplicateMembers)
        {
            names = scratch.Names;
            names.Prepare(utf8Event.Length);
        }

        var reader = new EventReader(utf8Event, _options, scratch.ObjectBits(EventReader.ObjectsWords(_options.MaxDepth)), scratch.ElementCounts(_options.MaxDepth), names);
        try
        {
            if (reader.Peek() != (byte)'{')
            {
                // Refused either way; the check says which refusal.
                reader.SkipValue();
                reader.ExpectEnd();
                error = new InvalidPatternException(PatternErrorCode.EventNotAnObject, string.Empty, "event is not a JSON object");
                return false;
            }

            reader.Enter();
            ReadObject(ref reader, _root, scratch);
            reader.ExpectEnd();
            error = null;
            return true;
        }
        catch (MalformedEventException ex)
        {
            error = new InvalidPatternException(ex.Code, string.Empty, ex.Message);
            return false;
        }
    }

    private void ReadObject(ref EventReader reader, PathNode node, MatchScratch scratch)
    {
        if (reader.CloseIfEmpty((byte)'}'))
        {
            return;
        }

        do
        {
            var name = reader.ReadPropertyName(out var escaped);
            PathNode? child;
            if (escaped)
            {
                var key = scratch.KeyBuffer(name.Length);
                child = node.Walk(key[..EventReader.Unescape(name, key)]);
            }
            else
            {
                child = node.Walk(name);
            }

            if (child is null)
            {
                reader.SkipValue();
            }
            else
            {
                ReadValue(ref reader, child, scratch);
            }
        }
        while (reader.NextOrClose((byte)'}'));
    }

    private void ReadValue(ref EventReader reader, PathNode node, MatchScratch scratch)
    {
        var first = reader.Peek();
        var start = reader.Position;
        switch (first)
        {
            case (byte)'{':
                if (node.HasChildren)
                {
                    reader.Enter();
                    ReadObject(ref reader, node, scratch);
                }
                else
                {
                    reader.SkipValue();
                }

                break;
            case (byte)'[':
                reader.Enter();
                scratch.PushArray();
                if (!reader.CloseIfEmpty((byte)']'))
                {
                    var elements = 0;
                    do
                    {
                        reader.CountElement(++elements);
                        ReadValue(ref reader, node, scratch);
                        scratch.NextElement();
                    }
                    while (reader.NextOrClose((byte)']'));
                }

                scratch.PopArray();
                return; // its elements are values of their own
            case (byte)'"':
                var text = reader.ReadString(out var escaped);
                if (node.FieldId >= 0)
                {
                    var leaf = scratch.Leaf;
                    if (escaped)
                    {
                        leaf.ResetUnescaped(EventReader.Unescape(text, leaf.RentBytes(text.Length)));
                    }
                    else
                    {
                        leaf.Reset(LeafKind.String, text);
                    }

                    AddLeaf(node.FieldId, scratch);
                }

                break;
            case (byte)'t':
                reader.ReadLiteral("true"u8);
                AddScalar(node, LeafKind.True, default, scratch);
                break;
            case (byte)'f':
                reader.ReadLiteral("false"u8);
                AddScalar(node, LeafKind.False, default, scratch);
                break;
            case (byte)'n':
                reader.ReadLiteral("null"u8);
                AddScalar(node, LeafKind.Null, default, scratch);
                break;
            default:
                AddScalar(node, LeafKind.Number, reader.ReadNumber(), scratch);
                break;
        }

        if (node.FieldId >= 0 && scratch.Values is { } values)
        {
            values.Add(node.FieldId, start, reader.Position); // for the caller: where the value's JSON text is
        }
    }

    private void AddScalar(PathNode node, LeafKind kind, ReadOnlySpan<byte> utf8, MatchScratch scratch)
    {
        if (node.FieldId >= 0)
        {
            scratch.Leaf.Reset(kind, utf8);
            AddLeaf(node.FieldId, scratch);
        }
    }

    private void AddLeaf(int fieldId, MatchScratch scratch)
    {
        var field = _fields[fieldId];
        var accepted = field.AloneInEveryBranch ? scratch.Accepted.AsSpan(field.AcceptedOffset, field.Words) : default;
        var matchers = field.Matchers;
        if (field.AloneInEveryBranch && AllAccepted(accepted, matchers.Length))
        {
            return;
        }

        var leaf = scratch.AddLeaf(fieldId, field.Words);
        var bits = scratch.Bits.AsSpan(scratch.LeafBitsStart[leaf], field.Words);
        var any = false;
        for (var i = 0; i < matchers.Length; i++)
        {
            var bit = 1UL << (i % 64);
            if (field.AloneInEveryBranch && (accepted[i / 64] & bit) != 0)
            {
                continue;
            }

            if (matchers[i].Matches(scratch.Leaf))
            {
                bits[i / 64] |= bit;
                any = true;
                if (field.AloneInEveryBranch)
                {
                    accepted[i / 64] |= bit;
                }
            }
        }

        if (any || field.NeedsEveryLeaf)
        {
            scratch.Keep(leaf);
        }
        else
        {
            scratch.DropLast(field.Words);
        }
    }

    private static bool AllAccepted(ReadOnlySpan<ulong> accepted, int matchers)
    {
        for (var w = 0; w < accepted.Length; w++)
        {
            var all = w < matchers / 64 ? ulong.MaxValue : (1UL << (matchers % 64)) - 1;
            if ((accepted[w] & all) != all)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Backtracking steps per branch before <see cref="ConsistentChoice"/> takes over: enough for every
    /// ordinary event, few enough that a crafted one cannot make the search quadratic.</summary>
    internal const int DefaultBacktrackingBudget = 4096;

    private bool Matches(CompiledBranch branch, MatchScratch scratch)
    {
        scratch.Budget = _backtrackingBudget;
        var found = Solve(branch.Conditions, 0, scratch);
        // A match found is sound even past the budget: only giving up early can be wrong.
        if (found || scratch.Budget >= 0)
        {
            return found;
        }

        if (branch.OnePassDecides && scratch.Choice.Solve(branch.Conditions, scratch) is { } decided)
        {
            return decided;
        }

        // Past ConsistentChoice's limits (more than 32 conditions with exists:false, 64 without, or more maximal
        // sets than it keeps): the search, unbounded.
        scratch.Budget = int.MaxValue;
        return Solve(branch.Conditions, 0, scratch);
    }

    /// <summary>Chooses a leaf for each condition from <paramref name="k"/> on (conditions are in path
    /// order), consistent with the leaves already chosen. A condition that allows absence may instead
    /// take none, when no leaf of its path is consistent with the leaves chosen before it.</summary>
    private static bool Solve(CompiledCondition[] conditions, int k, MatchScratch scratch)
    {
        if (k == conditions.Length)
        {
            return true;
        }

        var condition = conditions[k];
        if (condition.HasMatchers)
        {
            for (var leaf = scratch.FieldHead[condition.FieldId]; leaf >= 0; leaf = scratch.LeafNext[leaf])
            {
                if (--scratch.Budget < 0)
                {
                    return false;
                }

                if (Satisfies(leaf, condition, scratch) && ConsistentWithChosen(leaf, k, scratch))
                {
                    scratch.Chosen[k] = leaf;
                    if (Solve(conditions, k + 1, scratch))
                    {
                        return true;
                    }
                }
            }
        }

        if (condition.AllowAbsent && IsAbsent(condition.FieldId, k, scratch))
        {
            scratch.Chosen[k] = -1;
            return Solve(conditions, k + 1, scratch);
        }

        return false;
    }

    internal static bool Satisfies(int leaf, CompiledCondition condition, MatchScratch scratch)
    {
        var mask = condition.Mask;
        var start = scratch.LeafBitsStart[leaf];
        for (var w = 0; w < mask.Length; w++)
        {
            if ((scratch.Bits[start + w] & mask[w]) != 0)
            {
                return true;
            }
        }

        return false;
    }

    private static bool ConsistentWithChosen(int leaf, int count, MatchScratch scratch)
    {
        for (var i = 0; i < count; i++)
        {
            var other = scratch.Chosen[i];
            if (other >= 0 && !scratch.Consistent(leaf, other))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAbsent(int fieldId, int chosenCount, MatchScratch scratch)
    {
        for (var leaf = scratch.FieldHead[fieldId]; leaf >= 0; leaf = scratch.LeafNext[leaf])
        {
            --scratch.Budget;
            if (ConsistentWithChosen(leaf, chosenCount, scratch))
            {
                return false;
            }
        }

        return true;
    }
}
