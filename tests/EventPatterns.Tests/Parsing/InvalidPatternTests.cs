namespace EventPatterns.Tests.Parsing;

/// <summary>Invalid patterns are refused at load with the path and the problem, never at match time.</summary>
public sealed class InvalidPatternTests
{
    [Theory]
    [InlineData("""{"detail":{"status":[{"prefix":3}]}}""", "detail.status", "\"prefix\" needs a string")]
    [InlineData("""{"a":[{"suffix":["x"]}]}""", "a", "\"suffix\" needs a string")]
    [InlineData("""{"a":[{"equals-ignore-case":5}]}""", "a", "\"equals-ignore-case\" needs a string")]
    [InlineData("""{"a":[{"prefix":{"wildcard":"x"}}]}""", "a", "supports only \"equals-ignore-case\"")]
    [InlineData("""{"a":[{"wildcard":"a**b"}]}""", "a", "consecutive wildcard characters")]
    [InlineData("""{"a":[{"wildcard":"a\\b"}]}""", "a", "invalid escape")]
    [InlineData("""{"a":[{"wildcard":5}]}""", "a", "\"wildcard\" needs a string")]
    [InlineData("""{"a":[{"anything-but":["x",1]}]}""", "a", "mixes strings and numbers")]
    [InlineData("""{"a":[{"anything-but":[]}]}""", "a", "at least one value")]
    [InlineData("""{"a":[{"anything-but":true}]}""", "a", "\"anything-but\" needs")]
    [InlineData("""{"a":[{"anything-but":{"prefix":""}}]}""", "a", "non-empty strings")]
    [InlineData("""{"a":[{"anything-but":{"suffix":5}}]}""", "a", "needs a string or a non-empty list of strings")]
    [InlineData("""{"a":[{"anything-but":{"equals-ignore-case":[1]}}]}""", "a", "needs strings")]
    [InlineData("""{"a":[{"anything-but":{"wildcard":"x**"}}]}""", "a", "consecutive wildcard characters")]
    [InlineData("""{"a":[{"anything-but":{"numeric":[">",1]}}]}""", "a", "not \"numeric\"")]
    [InlineData("""{"a":[{"numeric":[">"]}]}""", "a", "must be a number")]
    [InlineData("""{"a":[{"numeric":[">","1"]}]}""", "a", "must be a number")]
    [InlineData("""{"a":[{"numeric":["<>",1]}]}""", "a", "unrecognized operator")]
    [InlineData("""{"a":[{"numeric":["<",1,">",0]}]}""", "a", "lower bound (> or >=) then an upper bound")]
    [InlineData("""{"a":[{"numeric":[">",1,"<",1]}]}""", "a", "lower bound must be less than the upper bound")]
    [InlineData("""{"a":[{"numeric":[">",1,"<",3,"<",4]}]}""", "a", "too many terms")]
    [InlineData("""{"a":[{"numeric":["=",1e309]}]}""", "a", "out of the range")]
    [InlineData("""{"a":[{"numeric":["=",1e-400]}]}""", "a", "out of the range")]
    [InlineData("""{"a":[{"exists":"yes"}]}""", "a", "\"exists\" needs true or false")]
    [InlineData("""{"a":[{"cidr":"10.0.0.0"}]}""", "a", "one '/' required")]
    [InlineData("""{"a":[{"cidr":"10.0.0.0/33"}]}""", "a", "must be 0 to 32")]
    [InlineData("""{"a":[{"cidr":"2001:db8::/129"}]}""", "a", "must be 0 to 128")]
    [InlineData("""{"a":[{"cidr":"10.0.0/8"}]}""", "a", "is not an IP address")]
    [InlineData("""{"a":[{"regex":"x"}]}""", "a", "unrecognized match type \"regex\"")]
    [InlineData("""{"a":[{"exactly":33}]}""", "a", "\"exactly\" needs a string")]
    [InlineData("""{"a":[{"prefix":"x","suffix":"y"}]}""", "a", "exactly one key")]
    [InlineData("""{"a":[{}]}""", "a", "found none")]
    [InlineData("""{"a":[["x"]]}""", "a", "a match value must be")]
    [InlineData("""{"a":"x"}""", "a", "must be an array of match values or an object")]
    [InlineData("""{"a":[]}""", "a", "at least one match value")]
    [InlineData("""{"a":{}}""", "a", "at least one field")]
    [InlineData("""{}""", "", "at least one field")]
    [InlineData("""["a"]""", "", "must be a JSON object")]
    [InlineData("""{"a":["x"]""", "", "not valid JSON")]
    [InlineData("""{"$or":[{"metricName":["x"]}]}""", "$or", "unrecognized match type \"metricName\"")]
    public void Parse_InvalidPattern_NamesPathAndProblem(string json, string path, string problem)
    {
        var ex = Assert.Throws<InvalidPatternException>(() => EventPattern.Parse(json));
        Assert.Equal(path, ex.Path);
        Assert.Contains(problem, ex.Problem, StringComparison.Ordinal);
        Assert.Equal(path.Length == 0 ? ex.Problem : path + ": " + ex.Problem, ex.Message);
    }

    [Fact]
    public void Parse_ManyNestedOrs_IsRefusedBeforeItExplodes()
    {
        var or = """{"$or":[{"a":["1"]},{"b":["2"]},{"c":["3"]},{"d":["4"]}]}""";
        var json = "{" + string.Join(",", Enumerable.Range(0, 6).Select(i => $"\"f{i}\":{or}")) + "}";
        var ex = Assert.Throws<InvalidPatternException>(() => EventPattern.Parse(json));
        Assert.Contains("combinations", ex.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_Invalid_ReturnsTheMessage()
    {
        Assert.False(EventPattern.TryParse("""{"detail":{"status":[{"prefix":3}]}}""", out var pattern, out var error));
        Assert.Null(pattern);
        Assert.Equal("detail.status: \"prefix\" needs a string", error);
    }
}
