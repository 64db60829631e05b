using System.Diagnostics.CodeAnalysis;

namespace EventPatterns;

/// <summary>Many patterns compiled together: answers "which patterns match this event" in one pass
/// over the event's UTF-8 JSON. Thread-safe; one instance per configuration version.</summary>
public sealed class PatternMatcher
{
    public static PatternMatcher Compile(IReadOnlyList<EventPattern> patterns, MatcherOptions? options = null)
        => throw new NotImplementedException();

    /// <summary>Number of patterns compiled in.</summary>
    public int Count => throw new NotImplementedException();

    /// <summary>Reads the event once and adds the indices of the matching patterns to
    /// <paramref name="matches"/> in ascending order.</summary>
    /// <returns>false with <paramref name="error"/> set when the event is not a JSON object, is
    /// malformed, too large or too deep; no exception escapes for bad input.</returns>
    public bool TryMatch(ReadOnlySpan<byte> utf8Event, List<int> matches, [NotNullWhen(false)] out string? error)
        => throw new NotImplementedException();
}
