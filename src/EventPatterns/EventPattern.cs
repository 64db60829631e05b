using System.Diagnostics.CodeAnalysis;
using EventPatterns.Parsing;

namespace EventPatterns;

/// <summary>One EventBridge event pattern, parsed and validated. Compile many into a
/// <see cref="PatternMatcher"/> to match events.</summary>
public sealed class EventPattern
{
    private EventPattern(string json, IReadOnlyList<PatternBranch> branches)
    {
        Json = json;
        Branches = branches;
        GuaranteedFields = branches
            .Select(b => b.Fields.Where(f => !f.AllowAbsent).Select(f => f.Path).ToHashSet(StringComparer.Ordinal))
            .Aggregate((a, b) =>
            {
                a.IntersectWith(b);
                return a;
            });
    }

    /// <summary>The pattern as it was given.</summary>
    public string Json { get; }

    /// <summary>Dotted paths of the leaves that every event this pattern matches must have
    /// (a field matched by anything other than <c>exists: false</c> in every <c>$or</c> branch).</summary>
    public IReadOnlySet<string> GuaranteedFields { get; }

    internal IReadOnlyList<PatternBranch> Branches { get; }

    /// <summary>Parses and validates a pattern.</summary>
    /// <param name="json">The pattern's JSON text.</param>
    /// <returns>The parsed pattern.</returns>
    /// <exception cref="InvalidPatternException">The pattern is not one EventBridge accepts.</exception>
    public static EventPattern Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return new EventPattern(json, PatternParser.Parse(json));
    }

    /// <summary>Parses and validates a pattern, returning the problem rather than throwing it.</summary>
    /// <param name="json">The pattern's JSON text.</param>
    /// <param name="pattern">The parsed pattern, when it is valid.</param>
    /// <param name="error">Why the pattern is refused, when it is not valid.</param>
    /// <returns>Whether the pattern is valid.</returns>
    public static bool TryParse(string json, [NotNullWhen(true)] out EventPattern? pattern, [NotNullWhen(false)] out InvalidPatternException? error)
    {
        try
        {
            pattern = Parse(json);
            error = null;
            return true;
        }
        catch (InvalidPatternException ex)
        {
            pattern = null;
            error = ex;
            return false;
        }
    }

    /// <summary>The pattern as it was given.</summary>
    /// <returns><see cref="Json"/>.</returns>
    public override string ToString() => Json;
}
