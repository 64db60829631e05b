using System.Text.Json;
using RemediationWorker.Testing;

namespace EventPatterns.Tests.Conformance;

/// <summary>Reads event-ruler case files (<c>../shared/conformance/event-ruler/cases.jsonl</c>, and this
/// folder's own <c>numbers-and-addresses.jsonl</c>), keeping pattern and event as raw JSON text so that
/// number spellings reach the engine exactly as event-ruler saw them.</summary>
internal static class ConformanceCases
{
    public static string Directory => RepositoryPaths.SharedFile("conformance", "event-ruler");

    public static IReadOnlyList<ConformanceCase> All { get; } = Load(Path.Combine(Directory, "cases.jsonl"));

    /// <summary>Number handling and IP addresses, checked against event-ruler 2.0.1's jar on Java 17 (every
    /// case's outcome is what it printed).</summary>
    public static IReadOnlyList<ConformanceCase> NumbersAndAddresses { get; } =
        Load(Path.Combine(RepositoryPaths.Root, "tests", "EventPatterns.Tests", "Conformance", "numbers-and-addresses.jsonl"));

    private static List<ConformanceCase> Load(string path)
    {
        var cases = new List<ConformanceCase>();
        var line = 0;
        foreach (var text in File.ReadLines(path))
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
