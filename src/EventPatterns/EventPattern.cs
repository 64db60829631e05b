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
    /// <exception cref="InvalidPatternException">The pattern is not one EventBridge accepts.</exception>
    public static EventPattern Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return new EventPattern(json, PatternParser.Parse(json));
    }

    public static bool TryParse(string json, [NotNullWhen(true)] out EventPattern? pattern, [NotNullWhen(false)] out string? error)
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
            error = ex.Message;
            return false;
        }
    }

    public override string ToString() => Json;
}
