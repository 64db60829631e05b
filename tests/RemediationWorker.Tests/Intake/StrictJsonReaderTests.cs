using System.Text;
using RemediationWorker.Intake;

namespace RemediationWorker.Tests.Intake;

public sealed class StrictJsonReaderTests
{
    private static readonly EventLimits Limits = new();

    [Theory]
    [InlineData("""{"a":"x\ud800"}""", "lone-surrogate: a string at a ")]
    [InlineData("""{"a":"\udc00x"}""", "lone-surrogate: a string at a ")]
    [InlineData("""{"a":"\ud800\u0041"}""", "lone-surrogate: ")]
    [InlineData("""{"a":"\ud800x\udc00"}""", "lone-surrogate: ")]
    [InlineData("""{"a":["ok","\ud800\ud800"]}""", "lone-surrogate: a string at a[1] ")]
    [InlineData("""{"\ud800":1}""", "lone-surrogate: a member name at the event ")]
    [InlineData("""{"a":1,"a":2}""", "duplicate-member: \"a\" appears twice in the event")]
    [InlineData("""{"d":{"x":{"s":1,"\u0073":2}}}""", "duplicate-member: \"s\" appears twice in d.x")]
    [InlineData("""{"d":[{"s":1},{"t":1,"t":2}]}""", "duplicate-member: \"t\" appears twice in d[1]")]
    [InlineData("""{"a":1} {}""", "malformed-json: ")]
    [InlineData("", "malformed-json: ")]
    public void TryCheck_Hostile_RejectedNamingTheRuleAndPlace(string json, string expected)
    {
        Assert.False(StrictJsonReader.TryCheck(Encoding.UTF8.GetBytes(json), Limits, out var error));
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"a":"\ud83d\ude00 \u00e9 \\u005c \\ud800 \"q\""}""")]
    [InlineData("""{"a":{"s":1},"b":{"s":1},"c":[{"s":1},{"s":2}],"s":{"s":{"s":1}}}""")]
    [InlineData("""{"a":"\\","b":"\\\\ud800"}""")]
    [InlineData("[]")]
    public void TryCheck_WellFormed_Accepted(string json)
    {
        Assert.True(StrictJsonReader.TryCheck(Encoding.UTF8.GetBytes(json), Limits, out var error), error);
    }

    [Fact]
    public void TryCheck_InvalidUtf8_RejectedWithTheOffset()
    {
        byte[] json = [.. """{"a":"ab"""u8, 0xC3, 0x28, .. "\"}"u8];

        Assert.False(StrictJsonReader.TryCheck(json, Limits, out var error));
        Assert.Equal("invalid-utf8: the event is not valid UTF-8 (byte offset 8)", error);
    }

    [Fact]
    public void TryCheck_ManyMembersOneTwice_FoundPastTheSmallObjectScan()
    {
        var members = string.Join(",", Enumerable.Range(0, 500).Select(i => $"\"m{i}\":{i}"));

        Assert.True(StrictJsonReader.TryCheck(Encoding.UTF8.GetBytes("{" + members + "}"), Limits, out _));
        Assert.False(StrictJsonReader.TryCheck(Encoding.UTF8.GetBytes("{" + members + ",\"m250\":0}"), Limits, out var error));
        Assert.StartsWith("duplicate-member: \"m250\"", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryCheck_SameNamesInSiblingsAfterALargeObject_NotDuplicates()
    {
        // The table of a closed large object must not leak into the next object at the same depth.
        var large = string.Join(",", Enumerable.Range(0, 100).Select(i => $"\"m{i}\":{i}"));
        var json = "{\"a\":{" + large + "},\"b\":{\"m1\":1,\"m2\":2},\"c\":[{" + large + "},{" + large + "}]}";

        Assert.True(StrictJsonReader.TryCheck(Encoding.UTF8.GetBytes(json), Limits, out var error), error);
    }

    [Fact]
    public void TryCheck_Limits_EachNamed()
    {
        var limits = new EventLimits { MaxArrayLength = 3, MaxStringLength = 10, MaxDepth = 4, MaxEventBytes = 100 };

        Assert.True(StrictJsonReader.TryCheck("""{"a":[1,2,3],"b":"0123456789"}"""u8, limits, out _));
        Assert.False(StrictJsonReader.TryCheck("""{"a":[1,2,3,4]}"""u8, limits, out var array));
        Assert.Equal("array-too-long: a has over 3 elements", array);
        Assert.False(StrictJsonReader.TryCheck("""{"a":{"b":"01234567890"}}"""u8, limits, out var text));
        Assert.Equal("string-too-long: a string of 11 bytes at a.b, the limit is 10", text);
        Assert.False(StrictJsonReader.TryCheck("""{"a":{"b":{"c":{"d":{}}}}}"""u8, limits, out var deep));
        Assert.Equal("too-deep: nested deeper than 4 levels", deep);
        Assert.False(StrictJsonReader.TryCheck(Encoding.UTF8.GetBytes("{\"a\":\"" + new string('x', 100) + "\"}"), limits, out var large));
        Assert.StartsWith("too-large: 108 bytes", large, StringComparison.Ordinal);
    }
}
