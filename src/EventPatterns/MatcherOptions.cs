namespace EventPatterns;

/// <summary>Bounds on the events a <see cref="PatternMatcher"/> reads.</summary>
public sealed class MatcherOptions
{
    /// <summary>The defaults: depth 64, 1 MiB.</summary>
    public static MatcherOptions Default { get; } = new();

    /// <summary>Deepest nesting of objects and arrays an event may have.</summary>
    /// <value>The default value is 64.</value>
    public int MaxDepth { get; init; } = 64;

    /// <summary>Largest event, in UTF-8 bytes.</summary>
    /// <value>The default value is 1 MiB, the EventBridge and SQS payload maximum since 2026-01-29.</value>
    public int MaxEventBytes { get; init; } = 1024 * 1024;

    /// <summary>Most elements in one array, anywhere in an event (code <see cref="PatternErrorCode.EventArrayTooLong"/>).</summary>
    /// <value>The default value is <see cref="int.MaxValue"/>: no limit beyond the event's size.</value>
    public int MaxArrayLength { get; init; } = int.MaxValue;

    /// <summary>Longest string or member name, anywhere in an event, in bytes as written between its quotes (escapes
    /// counted as written; code <see cref="PatternErrorCode.EventStringTooLong"/>).</summary>
    /// <value>The default value is <see cref="int.MaxValue"/>: no limit beyond the event's size.</value>
    public int MaxStringLength { get; init; } = int.MaxValue;

    /// <summary>Whether an event with a member name twice in one object, anywhere (names compared unescaped), is
    /// refused (code <see cref="PatternErrorCode.EventDuplicateMember"/>). RFC 8259 leaves duplicates to the reader;
    /// without this a pattern matches when any of the duplicates does, as in event-ruler.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool RejectDuplicateMembers { get; init; }

    /// <summary>Whether an event with a <c>\u</c> escape of half a surrogate pair without the other half, anywhere,
    /// is refused (code <see cref="PatternErrorCode.EventLoneSurrogate"/>); otherwise such a half reads as U+FFFD.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool RejectLoneSurrogates { get; init; }
}
