namespace EventPatterns.Tests.Parsing;

/// <summary>Invalid patterns are refused at load with the path and the problem, never at match time.</summary>
public sealed class InvalidPatternTests
{
    [Theory]
    [InlineData("""{"detail":{"status":[{"prefix":3}]}}""", "detail.status", "\"prefix\" needs a string", PatternErrorCode.InvalidOperand)]
    [InlineData("""{"a":[{"suffix":["x"]}]}""", "a", "\"suffix\" needs a string", PatternErrorCode.InvalidOperand)]
    [InlineData("""{"a":[{"equals-ignore-case":5}]}""", "a", "\"equals-ignore-case\" needs a string", PatternErrorCode.InvalidOperand)]
    [InlineData("""{"a":[{"prefix":{"wildcard":"x"}}]}""", "a", "supports only \"equals-ignore-case\"", PatternErrorCode.UnknownOperator)]
    [InlineData("""{"a":[{"wildcard":"a**b"}]}""", "a", "consecutive wildcard characters", PatternErrorCode.InvalidWildcard)]
    [InlineData("""{"a":[{"wildcard":"a\\b"}]}""", "a", "invalid escape", PatternErrorCode.InvalidWildcard)]
    [InlineData("""{"a":[{"wildcard":5}]}""", "a", "\"wildcard\" needs a string", PatternErrorCode.InvalidOperand)]
    [InlineData("""{"a":[{"anything-but":["x",1]}]}""", "a", "mixes strings and numbers", PatternErrorCode.InvalidOperand)]
    [InlineData("""{"a":[{"anything-but":[]}]}""", "a", "at least one value", PatternErrorCode.EmptyList)]
    [InlineData("""{"a":[{"anything-but":true}]}""", "a", "\"anything-but\" needs", PatternErrorCode.InvalidOperand)]
    [InlineData("""{"a":[{"anything-but":{"prefix":""}}]}""", "a", "non-empty strings", PatternErrorCode.InvalidOperand)]
    [InlineData("""{"a":[{"anything-but":{"suffix":5}}]}""", "a", "needs a string or a non-empty list of strings", PatternErrorCode.InvalidOperand)]
    [InlineData("""{"a":[{"anything-but":{"equals-ignore-case":[1]}}]}""", "a", "needs strings", PatternErrorCode.InvalidOperand)]
    [InlineData("""{"a":[{"anything-but":{"wildcard":"x**"}}]}""", "a", "consecutive wildcard characters", PatternErrorCode.InvalidWildcard)]
    [InlineData("""{"a":[{"anything-but":{"numeric":[">",1]}}]}""", "a", "not \"numeric\"", PatternErrorCode.UnknownOperator)]
    [InlineData("""{"a":[{"numeric":[">"]}]}""", "a", "must be a number", PatternErrorCode.InvalidNumeric)]
    [InlineData("""{"a":[{"numeric":[">","1"]}]}""", "a", "must be a number", PatternErrorCode.InvalidNumeric)]
    [InlineData("""{"a":[{"numeric":["<>",1]}]}""", "a", "unrecognized operator", PatternErrorCode.InvalidNumeric)]
    [InlineData("""{"a":[{"numeric":["<",1,">",0]}]}""", "a", "lower bound (> or >=) then an upper bound", PatternErrorCode.InvalidNumeric)]
    [InlineData("""{"a":[{"numeric":[">",1,"<",1]}]}""", "a", "lower bound must be less than the upper bound", PatternErrorCode.InvalidNumeric)]
    [InlineData("""{"a":[{"numeric":[">",1,"<",3,"<",4]}]}""", "a", "too many terms", PatternErrorCode.InvalidNumeric)]
    [InlineData("""{"a":[{"numeric":["=",1e309]}]}""", "a", "cannot be compared", PatternErrorCode.NumberOutOfRange)]
    [InlineData("""{"a":[{"numeric":["=",1e-400]}]}""", "a", "cannot be compared", PatternErrorCode.NumberOutOfRange)]
    [InlineData("""{"a":[{"numeric":[">",12345678901234567890]}]}""", "a", "cannot be compared", PatternErrorCode.NumberOutOfRange)]
    [InlineData("""{"a":[{"anything-but":[12345678901234567890]}]}""", "a", "cannot be compared", PatternErrorCode.NumberOutOfRange)]
    [InlineData("""{"a":[{"cidr":"10.0.0.1/32"}]}""", "a", "must be 0 to 31", PatternErrorCode.InvalidCidr)]
    [InlineData("""{"a":[{"cidr":"2001:db8::1/128"}]}""", "a", "must be 0 to 127", PatternErrorCode.InvalidCidr)]
    [InlineData("""{"a":[{"cidr":"::ffff:a00:0/104"}]}""", "a", "must be 0 to 31", PatternErrorCode.InvalidCidr)]
    [InlineData("""{"a":[{"cidr":"::ffff:10.0.0.0/104"}]}""", "a", "is not an IP address", PatternErrorCode.InvalidCidr)]
    [InlineData("""{"a":[{"exists":"yes"}]}""", "a", "\"exists\" needs true or false", PatternErrorCode.InvalidOperand)]
    [InlineData("""{"a":[{"cidr":"10.0.0.0"}]}""", "a", "one '/' required", PatternErrorCode.InvalidCidr)]
    [InlineData("""{"a":[{"cidr":"10.0.0.0/33"}]}""", "a", "must be 0 to 31", PatternErrorCode.InvalidCidr)]
    [InlineData("""{"a":[{"cidr":"2001:db8::/129"}]}""", "a", "must be 0 to 127", PatternErrorCode.InvalidCidr)]
    [InlineData("""{"a":[{"cidr":"10.0.0/8"}]}""", "a", "is not an IP address", PatternErrorCode.InvalidCidr)]
    [InlineData("""{"a":[{"regex":"x"}]}""", "a", "unrecognized match type \"regex\"", PatternErrorCode.UnknownOperator)]
    [InlineData("""{"a":[{"exactly":33}]}""", "a", "\"exactly\" needs a string", PatternErrorCode.InvalidOperand)]
    [InlineData("""{"a":[{"prefix":"x","suffix":"y"}]}""", "a", "exactly one key", PatternErrorCode.MalformedExpression)]
    [InlineData("""{"a":[{}]}""", "a", "found none", PatternErrorCode.MalformedExpression)]
    [InlineData("""{"a":[["x"]]}""", "a", "a match value must be", PatternErrorCode.InvalidMatchValue)]
    [InlineData("""{"a":"x"}""", "a", "must be an array of match values or an object", PatternErrorCode.NotAListOrObject)]
    [InlineData("""{"a":[]}""", "a", "at least one match value", PatternErrorCode.EmptyList)]
    [InlineData("""{"a":{}}""", "a", "at least one field", PatternErrorCode.EmptyObject)]
    [InlineData("""{}""", "", "at least one field", PatternErrorCode.EmptyObject)]
    [InlineData("""["a"]""", "", "must be a JSON object", PatternErrorCode.NotAnObject)]
    [InlineData("""{"a":["x"]""", "", "not valid JSON", PatternErrorCode.NotJson)]
    [InlineData("""{"$or":[{"metricName":["x"]}]}""", "$or", "unrecognized match type \"metricName\"", PatternErrorCode.UnknownOperator)]
    public void Parse_InvalidPattern_NamesPathAndProblem(string json, string path, string problem, PatternErrorCode code)
    {
        var ex = Assert.Throws<InvalidPatternException>(() => EventPattern.Parse(json));
        Assert.Equal(code, ex.Code);
        Assert.Equal(path, ex.Path);
        Assert.Contains(problem, ex.Problem, StringComparison.Ordinal);
        Assert.Equal(path.Length == 0 ? ex.Problem : path + ": " + ex.Problem, ex.Message);
    }

    [Theory]
    [InlineData("""{"a":["\ud800"]}""")]
    [InlineData("""{"a":[{"prefix":"\udc00x"}]}""")]
    [InlineData("""{"\ud800":["x"]}""")]
    public void Parse_LoneSurrogateEscape_IsRefusedNotThrown(string json)
    {
        Assert.False(EventPattern.TryParse(json, out _, out var error));
        Assert.Equal(PatternErrorCode.NotJson, error.Code);
    }

    [Fact]
    public void Parse_ManyNestedOrs_IsRefusedBeforeItExplodes()
    {
        var or = """{"$or":[{"a":["1"]},{"b":["2"]},{"c":["3"]},{"d":["4"]}]}""";
        var json = "{" + string.Join(",", Enumerable.Range(0, 6).Select(i => $"\"f{i}\":{or}")) + "}";
        var ex = Assert.Throws<InvalidPatternException>(() => EventPattern.Parse(json));
        Assert.Contains("combinations", ex.Problem, StringComparison.Ordinal);
        Assert.Equal(PatternErrorCode.TooManyCombinations, ex.Code);
    }

    [Fact]
    public void TryParse_Invalid_ReturnsTheExceptionParseWouldThrow()
    {
        Assert.False(EventPattern.TryParse("""{"detail":{"status":[{"prefix":3}]}}""", out var pattern, out var error));
        Assert.Null(pattern);
        Assert.Equal("detail.status: \"prefix\" needs a string", error.Message);
        Assert.Equal(PatternErrorCode.InvalidOperand, error.Code);
        Assert.Equal("detail.status", error.Path);
    }
}
