using System.Text;
using System.Text.Json;
using RemediationWorker.Playbooks;
using RemediationWorker.Tests.TestSupport;

namespace RemediationWorker.Tests.Playbooks;

public sealed class EventFieldValuesTests
{
    [Theory]
    [InlineData("""{"detail":{"status":"FAILED"}}""", "detail.status", new[] { "\"FAILED\"" })]
    [InlineData("""{"a":[{"b":1},{"b":[2,[3]]},{"c":4}]}""", "a.b", new[] { "1", "2", "3" })]
    [InlineData("""{"a":{"b":{"c":true}},"z":null}""", "a.b", new[] { """{"c":true}""" })]
    [InlineData("""{"x":{"b":1},"a":"not an object"}""", "a.b", new string[0])]
    [InlineData("""{"a":{"skip":{"b":9,"deep":[[{"b":8}]]},"b":"v"}}""", "a.b", new[] { "\"v\"" })]
    [InlineData("""{"\u0061":{"b":"esc\"aped"}}""", "a.b", new[] { "\"esc\\\"aped\"" })]
    [InlineData("""{"s":"}]{[\\\"","x":[{"a":"]"}],"a":[{"b":true},{"b":null}]}""", "a.b", new[] { "true", "null" })]
    [InlineData(" { \"s\" : { \"k\" : [ 1 , \"}\" ] } ,\n \"a\" :\n[ { \"b\" :\t-1.5e3 } , { \"b\" : [ ] } , { \"b\":\"x\" } ] } ", "a.b", new[] { "-1.5e3", "\"x\"" })]
    [InlineData("""{"a":[{"b":1},{"b":2}],"z":{"b":"mention after the values"},"y":"b"}""", "a.b", new[] { "1", "2" })]
    [InlineData("""{"a":{"b/c":1,"x":2}}""", "a.b/c", new[] { "1" })]
    [InlineData("""{"a":{"b\/c":1,"x":2}}""", "a.b/c", new[] { "1" })]
    [InlineData("""{"a":{"\u0062":1}}""", "a.b", new[] { "1" })]
    public void Find_GivesTheJsonTextOfEachValueAtThePath_ArraysFlattened(string json, string path, string[] expected)
    {
        var utf8 = Encoding.UTF8.GetBytes(json);
        Span<Range> first = stackalloc Range[5];

        var count = new EventFieldValues(path.Split('.')).Find(utf8, first);

        Assert.Equal(expected, first[..count].ToArray().Select(r => Encoding.UTF8.GetString(utf8[r])).ToArray());
    }

    [Fact]
    public void Find_CountsEveryValue_KeepsTheFirstOnes()
    {
        var utf8 = Encoding.UTF8.GetBytes("""{"a":[1,2,3,4,5,6,7]}""");
        Span<Range> first = stackalloc Range[2];

        var count = new EventFieldValues(["a"]).Find(utf8, first);

        Assert.Equal(7, count);
        Assert.Equal("1", Encoding.UTF8.GetString(utf8[first[0]]));
        Assert.Equal("2", Encoding.UTF8.GetString(utf8[first[1]]));
    }

    // The reader is for events the intake checked; given anything else it still never leaves the bytes.
    [Theory]
    [InlineData("""{"a":""")]
    [InlineData("""{"a":{"b":"unterminated""")]
    [InlineData("""{"a":[1,{"b":[""")]
    [InlineData("""{"a":{"b\""")]
    [InlineData("not json")]
    [InlineData("")]
    public void Find_BrokenInput_StaysWithinTheBytes(string json)
    {
        var utf8 = Encoding.UTF8.GetBytes(json);
        Span<Range> first = stackalloc Range[5];

        var count = new EventFieldValues(["a", "b"]).Find(utf8, first);

        foreach (var range in first[..Math.Min(count, 5)])
        {
            Assert.InRange(range.End.Value, range.Start.Value, utf8.Length);
        }
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

    /// <summary>Every path of every sample event, read from the bytes, gives what the parsed document holds there.</summary>
    [Fact]
    public void Find_EveryPathOfTheSampleEvents_AgreesWithTheParsedDocument()
    {
        var checkedPaths = 0;
        foreach (var file in Directory.EnumerateFiles(RepositoryPaths.SampleEvents, "*.json").Where(f => !Path.GetFileName(f).StartsWith("malformed", StringComparison.Ordinal)))
        {
            var utf8 = File.ReadAllBytes(file);
            using var document = JsonDocument.Parse(utf8);
            foreach (var path in Paths(document.RootElement, []).Distinct())
            {
                var expected = new List<string>();
                ValuesAt(document.RootElement, path, 0, expected);
                var first = new Range[64];

                var count = new EventFieldValues(path).Find(utf8, first);

                var found = first[..Math.Min(count, 64)].Select(r => JsonSerializer.Serialize(JsonDocument.Parse(utf8.AsMemory(r)).RootElement)).ToList();
                Assert.True(expected.SequenceEqual(found), $"{Path.GetFileName(file)} {string.Join('.', path)}");
                checkedPaths++;
            }
        }

        Assert.True(checkedPaths > 100, $"{checkedPaths} paths");
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
