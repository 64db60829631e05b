using System.Text;
using System.Text.Json;
using RemediationWorker.Playbooks;

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
}
