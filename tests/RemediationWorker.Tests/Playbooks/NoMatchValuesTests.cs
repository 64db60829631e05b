using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EventPatterns;
using RemediationWorker.Playbooks;
using RemediationWorker.Tests.TestSupport;

namespace RemediationWorker.Tests.Playbooks;

/// <summary>The values a no-match reason shows: where the matcher's walk met them (<see cref="FieldValues"/>), written
/// back as JSON (<see cref="EventValueText"/>).</summary>
public sealed class NoMatchValuesTests
{
    /// <summary>Every path of every sample event gives what the parsed document holds there.</summary>
    [Fact]
    public void FieldValues_EveryPathOfTheSampleEvents_AgreesWithTheParsedDocument()
    {
        var checkedPaths = 0;
        foreach (var file in Directory.EnumerateFiles(RepositoryPaths.SampleEvents, "*.json").Where(f => !Path.GetFileName(f).StartsWith("malformed", StringComparison.Ordinal)))
        {
            var utf8 = File.ReadAllBytes(file);
            using var document = JsonDocument.Parse(utf8);
            var paths = Paths(document.RootElement, []).Select(p => string.Join('.', p)).Distinct().ToList();
            var matcher = PatternMatcher.Compile([.. paths.Select(Exists)]);
            var values = new FieldValues(matcher, keep: 64);
            Assert.True(matcher.TryMatch(utf8, [], values, out _));
            foreach (var path in paths)
            {
                var expected = new List<string>();
                ValuesAt(document.RootElement, path.Split('.'), 0, expected);
                var first = new Range[64];

                var count = values.Find(path, first);

                var found = first[..Math.Min(count, 64)].Select(r => EventValueText.Write(utf8.AsSpan(r))).ToList();
                Assert.True(expected.SequenceEqual(found), $"{Path.GetFileName(file)} {path}");
                checkedPaths++;
            }
        }

        Assert.True(checkedPaths > 100, $"{checkedPaths} paths");
    }

    [Theory]
    [InlineData("\"plain\"")]
    [InlineData("\"<tag> & 'quote' +\"")]
    [InlineData("\"caf\u00e9 \u2603 \ud83d\ude00\"")]
    [InlineData("\"esc\\\"aped \\u00e9 \\n \\/\"")]
    [InlineData("-12.50e+3")]
    [InlineData("true")]
    [InlineData("null")]
    [InlineData("""{ "k" : [1, "<b>", {"n": null}] }""")]
    public void Write_IsWhatTheSerializerWritesForTheElement(string json)
    {
        using var document = JsonDocument.Parse(json);

        Assert.Equal(JsonSerializer.Serialize(document.RootElement), EventValueText.Write(Encoding.UTF8.GetBytes(json)));
    }

    private static EventPattern Exists(string path)
    {
        JsonNode node = new JsonArray(new JsonObject { ["exists"] = true });
        foreach (var name in path.Split('.').Reverse())
        {
            node = new JsonObject { [name] = node };
        }

        return EventPattern.Parse(node.ToJsonString());
    }

    private static IEnumerable<string[]> Paths(JsonElement node, string[] path)
    {
        if (node.ValueKind == JsonValueKind.Array)
        {
            return node.EnumerateArray().SelectMany(item => Paths(item, path));
        }

        return node.ValueKind == JsonValueKind.Object
            ? node.EnumerateObject().SelectMany(member => Paths(member.Value, [.. path, member.Name]).Prepend([.. path, member.Name]))
            : [];
    }

    private static void ValuesAt(JsonElement node, string[] path, int depth, List<string> values)
    {
        if (node.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in node.EnumerateArray())
            {
                ValuesAt(item, path, depth, values);
            }
        }
        else if (depth == path.Length)
        {
            values.Add(JsonSerializer.Serialize(node));
        }
        else if (node.ValueKind == JsonValueKind.Object && node.TryGetProperty(path[depth], out var child))
        {
            ValuesAt(child, path, depth + 1, values);
        }
    }
}
