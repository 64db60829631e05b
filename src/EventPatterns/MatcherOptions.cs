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
}
