using System.Text;

namespace EventPatterns.Tests.Matching;

public sealed class FieldValuesTests
{
    [Theory]
    [InlineData("""{"detail":{"status":"FAILED"}}""", "detail.status", new[] { "\"FAILED\"" })]
    [InlineData("""{"a":[{"b":1},{"b":[2,[3]]},{"c":4}]}""", "a.b", new[] { "1", "2", "3" })]
    [InlineData("""{"a":{"b":{"c":true}},"z":null}""", "a.b", new[] { """{"c":true}""" })]
    [InlineData("""{"x":{"b":1},"a":"not an object"}""", "a.b", new string[0])]
    [InlineData("""{"a":{"skip":{"b":9,"deep":[[{"b":8}]]},"b":"v"}}""", "a.b", new[] { "\"v\"" })]
    [InlineData("""{"\u0061":{"b":"esc\"aped"}}""", "a.b", new[] { "\"esc\\\"aped\"" })]
    [InlineData("""{"a.b":"dotted key"}""", "a.b", new[] { "\"dotted key\"" })]
    [InlineData(" { \"s\" : { \"k\" : [ 1 , \"}\" ] } ,\n \"a\" :\n[ { \"b\" :\t-1.5e3 } , { \"b\" : [ ] } , { \"b\":\"x\" } ] } ", "a.b", new[] { "-1.5e3", "\"x\"" })]
    public void Find_TheJsonTextOfEachValueTheWalkMet_ArraysFlattened(string json, string path, string[] expected)
    {
        var (utf8, values) = Match(json, path);
        var first = new Range[5];

        var count = values.Find(path, first);

        Assert.Equal(expected, first[..count].Select(r => Encoding.UTF8.GetString(utf8[r])).ToArray());
    }

    [Fact]
    public void Find_CountsEveryValue_KeepsTheFirstOnes()
    {
        var (utf8, values) = Match("""{"a":[1,2,3,4,5,6,7]}""", "a");
        var first = new Range[5];

        Assert.Equal(7, values.Find("a", first));
        Assert.Equal(["1", "2", "3", "4", "5"], first.Select(r => Encoding.UTF8.GetString(utf8[r])));
    }

    [Fact]
    public void Find_EachMatchStartsAfresh_AndAPathNoPatternTestsIsMinusOne()
    {
        var matcher = PatternMatcher.Compile([EventPattern.Parse("""{"a":[{"exists":true}]}""")]);
        var values = new FieldValues(matcher);
        Assert.True(matcher.TryMatch("""{"a":[1,2]}"""u8, [], values, out _));
        Assert.True(matcher.TryMatch("""{"b":1}"""u8, [], values, out _));

        Assert.Equal(0, values.Find("a", new Range[5]));
        Assert.Equal(-1, values.Find("b", new Range[5]));
    }

    [Fact]
    public void TryMatch_ValuesOfAnotherMatcher_Refused()
    {
        var matcher = PatternMatcher.Compile([EventPattern.Parse("""{"a":[1]}""")]);
        var other = new FieldValues(PatternMatcher.Compile([EventPattern.Parse("""{"a":[1]}""")]));

        Assert.Throws<ArgumentException>(() => matcher.TryMatch("""{"a":1}"""u8, [], other, out _));
    }

    [Fact]
    public void TryMatch_WithValues_SameMatchesAsWithout()
    {
        var matcher = PatternMatcher.Compile([EventPattern.Parse("""{"a":[{"prefix":"x"}],"b":[{"exists":false}]}"""), EventPattern.Parse("""{"a":["y"]}""")]);
        var utf8 = """{"a":["x1","y"],"c":{"b":2}}"""u8.ToArray();
        var plain = new List<int>();
        var noted = new List<int>();

        Assert.True(matcher.TryMatch(utf8, plain, out _));
        Assert.True(matcher.TryMatch(utf8, noted, new FieldValues(matcher), out _));
        Assert.Equal(plain, noted);
    }

    private static (byte[] Utf8, FieldValues Values) Match(string json, string path)
    {
        var pattern = path.Split('.').Reverse().Aggregate("[{\"exists\":true}]", (inner, name) => $"{{\"{name}\":{inner}}}");
        var matcher = PatternMatcher.Compile([EventPattern.Parse(pattern)]);
        var values = new FieldValues(matcher);
        var utf8 = Encoding.UTF8.GetBytes(json);
        Assert.True(matcher.TryMatch(utf8, [], values, out var error), error?.Message);
        return (utf8, values);
    }
}
