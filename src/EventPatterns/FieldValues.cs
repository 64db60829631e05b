namespace EventPatterns;

/// <summary>Where the values of the fields a <see cref="PatternMatcher"/> reads were in the last event it matched with
/// this object: for each path its patterns test, how many values the event holds there and the byte ranges of the first
/// few, as the matcher met them in its one walk (arrays flattened, keys holding dots split, objects at the path counted
/// as values). It saves reading the event again to say what a field held (why a pattern did not match, say). Reused: each
/// <see cref="PatternMatcher.TryMatch(ReadOnlySpan{byte}, List{int}, FieldValues, out InvalidPatternException?)"/> with
/// it starts it afresh. Not thread-safe.</summary>
public sealed class FieldValues
{
    private readonly Dictionary<string, int> _fields;
    private readonly int _keep;
    private readonly int[] _counts;
    private readonly Range[] _ranges;

    /// <summary>Space for the values of <paramref name="matcher"/>'s fields.</summary>
    /// <param name="matcher">The matcher whose <c>TryMatch</c> fills it.</param>
    /// <param name="keep">How many values' ranges are kept per path (all of them are counted).</param>
    public FieldValues(PatternMatcher matcher, int keep = 5)
    {
        ArgumentNullException.ThrowIfNull(matcher);
        ArgumentOutOfRangeException.ThrowIfNegative(keep);
        Matcher = matcher;
        _fields = matcher.FieldIds;
        _keep = keep;
        _counts = new int[_fields.Count];
        _ranges = new Range[_fields.Count * keep];
    }

    /// <summary>The matcher this object belongs to.</summary>
    public PatternMatcher Matcher { get; }

    /// <summary>How many values the last event matched held at <paramref name="path"/> (names joined by dots, as in the
    /// patterns), the first of them (at most <c>keep</c>) copied to <paramref name="first"/> as ranges of the event's bytes,
    /// each the JSON text of one value; -1 when no pattern of the matcher tests that path.</summary>
    /// <param name="path">The field's path, such as <c>detail.status</c>.</param>
    /// <param name="first">Receives the ranges; as many as fit.</param>
    /// <returns>The number of values, or -1.</returns>
    public int Find(string path, Span<Range> first)
    {
        if (!_fields.TryGetValue(path, out var field))
        {
            return -1;
        }

        var count = _counts[field];
        _ranges.AsSpan(field * _keep, Math.Min(Math.Min(count, _keep), first.Length)).CopyTo(first);
        return count;
    }

    internal void Clear() => Array.Clear(_counts);

    internal void Add(int field, int start, int end)
    {
        var count = _counts[field]++;
        if (count < _keep)
        {
            _ranges[(field * _keep) + count] = start..end;
        }
    }
}
