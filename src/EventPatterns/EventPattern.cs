using System.Diagnostics.CodeAnalysis;

namespace EventPatterns;

/// <summary>One EventBridge event pattern, parsed and validated. Compile many into a
/// <see cref="PatternMatcher"/> to match events.</summary>
public sealed class EventPattern
{
    /// <summary>Parses and validates a pattern.</summary>
    /// <exception cref="InvalidPatternException">The pattern is not one EventBridge accepts.</exception>
    public static EventPattern Parse(string json) => throw new NotImplementedException();

    public static bool TryParse(string json, [NotNullWhen(true)] out EventPattern? pattern, [NotNullWhen(false)] out string? error)
        => throw new NotImplementedException();

    /// <summary>Dotted paths of the leaves that every event this pattern matches must have
    /// (a field matched by anything other than <c>exists: false</c> in every <c>$or</c> branch).</summary>
    public IReadOnlySet<string> GuaranteedFields => throw new NotImplementedException();
}
