using System.Text.Json;

namespace EventPatterns.Benchmarks;

/// <summary>One kind of the benchmark (EXACT, WILDCARD, …) and its patterns, as JSON text.</summary>
internal sealed record RuleSet(string Kind, IReadOnlyList<string> Patterns)
{
    /// <summary>Reads a rules file shaped like <c>citylots2-benchmark-rules.json</c>:
    /// <c>{ "KIND": { "rules": [ pattern, … ], … }, … }</c>, kinds in file order. Other members of a
    /// kind (such as <c>citylots2_matches</c>) are ignored.</summary>
    public static IReadOnlyList<RuleSet> Load(string path)
    {
        using var stream = File.OpenRead(path);
        using var document = JsonDocument.Parse(stream);
        var ruleSets = new List<RuleSet>();
        foreach (var kind in document.RootElement.EnumerateObject())
        {
            var patterns = kind.Value.GetProperty("rules").EnumerateArray().Select(rule => rule.GetRawText()).ToList();
            ruleSets.Add(new RuleSet(kind.Name, patterns));
        }

        return ruleSets;
    }

    /// <summary>All patterns of all kinds in one matcher, as a worker with many playbooks runs them (and as
    /// event-ruler's harness reports it).</summary>
    public static RuleSet Combo(IReadOnlyList<RuleSet> kinds) => new("COMBO", kinds.SelectMany(k => k.Patterns).ToList());
}
