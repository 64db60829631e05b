namespace EventPatterns.Tests.Conformance;

/// <summary>One line of event-ruler's cases.jsonl.</summary>
public sealed record ConformanceCase(int Line, string Pattern, string? Event, bool? Match, bool Invalid, string Source, IReadOnlyList<string> Features)
{
    public override string ToString() => $"line {Line} ({Source})";
}
