using System.Text.Json;
using RemediationWorker.Testing;

namespace EventPatterns.Tests.Conformance;

/// <summary>Reads <c>../shared/conformance/event-ruler/cases.jsonl</c>, keeping pattern and event as raw
/// JSON text so that number spellings reach the engine exactly as event-ruler saw them.</summary>
internal static class ConformanceCases
{
    public static string Directory => RepositoryPaths.SharedFile("conformance", "event-ruler");

    public static IReadOnlyList<ConformanceCase> All { get; } = Load();

    private static List<ConformanceCase> Load()
    {
        var cases = new List<ConformanceCase>();
        var line = 0;
        foreach (var text in File.ReadLines(Path.Combine(Directory, "cases.jsonl")))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            cases.Add(new ConformanceCase(
                line,
                root.GetProperty("pattern").GetRawText(),
                root.TryGetProperty("event", out var e) ? e.GetRawText() : null,
                root.TryGetProperty("match", out var m) ? m.GetBoolean() : null,
                root.TryGetProperty("invalid", out var i) && i.GetBoolean(),
                root.TryGetProperty("source", out var s) ? s.GetString() ?? string.Empty : string.Empty,
                root.TryGetProperty("features", out var f) ? f.EnumerateArray().Select(x => x.GetString() ?? string.Empty).ToArray() : []));
        }

        return cases;
    }
}
