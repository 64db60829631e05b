using System.Text;

namespace EventPatterns.Tests.Matching;

public sealed class PatternMatcherTests
{
    private static readonly PatternMatcher Matcher = PatternMatcher.Compile(
    [
        EventPattern.Parse("""{"source":["aws.cloudformation"],"detail":{"status-details":{"status":["UPDATE_ROLLBACK_FAILED"]}}}"""),
        EventPattern.Parse("""{"source":["aws.codebuild"]}"""),
        EventPattern.Parse("""{"source":[{"prefix":"aws."}]}"""),
    ], new MatcherOptions { MaxDepth = 8, MaxEventBytes = 4096 });

    [Fact]
    public void TryMatch_SeveralPatterns_ReturnsEveryMatchInOrder()
    {
        var matches = new List<int>();
        Assert.True(Matcher.TryMatch(Encoding.UTF8.GetBytes("""{"source":"aws.cloudformation","detail":{"status-details":{"status":"UPDATE_ROLLBACK_FAILED"}}}"""), matches, out _));
        Assert.Equal([0, 2], matches);
    }

    [Fact]
    public void TryMatch_ManyLeavesOfOneField_EveryPatternSeesTheLeafItNeeds()
    {
        var matcher = PatternMatcher.Compile(
        [
            EventPattern.Parse("""{"s":[{"prefix":"a"}]}"""),
            EventPattern.Parse("""{"s":[{"suffix":"z"}]}"""),
            EventPattern.Parse("""{"s":[{"prefix":"a"}],"t":["x"]}"""),
            EventPattern.Parse("""{"s":[{"anything-but":["a1","mz"]}]}"""),
            EventPattern.Parse("""{"s":["never"]}"""),
        ]);
        var matches = new List<int>();
        Assert.True(matcher.TryMatch("""{"s":["a1","a2","mz","a3"],"t":"x"}"""u8, matches, out _));
        Assert.Equal([0, 1, 2, 3], matches);
        matches.Clear();
        Assert.True(matcher.TryMatch("""{"s":["a1","mz","a1"]}"""u8, matches, out _));
        Assert.Equal([0, 1], matches);
    }

    [Fact]
    public void TryMatch_UnmentionedFields_AreSkippedWhateverTheyHold()
    {
        var matches = new List<int>();
        var @event = """{"big":{"x":[1,2,{"y":[true,null,"z"]}]},"source":"aws.codebuild","tail":[[[]]]}""";
        Assert.True(Matcher.TryMatch(Encoding.UTF8.GetBytes(@event), matches, out _));
        Assert.Equal([1, 2], matches);
    }

    [Theory]
    [InlineData("not json", "not valid JSON", PatternErrorCode.EventNotJson)]
    [InlineData("""{"source":"aws.codebuild" """, "not valid JSON", PatternErrorCode.EventNotJson)]
    [InlineData("""{"source":"aws.codebuild"} {}""", "not valid JSON", PatternErrorCode.EventNotJson)]
    [InlineData("""[{"source":"aws.codebuild"}]""", "not a JSON object", PatternErrorCode.EventNotAnObject)]
    [InlineData("\"aws\"", "not a JSON object", PatternErrorCode.EventNotAnObject)]
    [InlineData("", "not valid JSON", PatternErrorCode.EventNotJson)]
    [InlineData("""{"a":[[[[[[[[[1]]]]]]]]]}""", "nested deeper than 8 levels", PatternErrorCode.EventTooDeep)]
    [InlineData("""{"source":"aws.codebuild","x":{"y":[1,2,]}}""", "not valid JSON", PatternErrorCode.EventNotJson)]
    [InlineData("""{"source":"aws.codebuild","x":[01]}""", "not valid JSON", PatternErrorCode.EventNotJson)]
    [InlineData("""{"source":"aws.codebuild","x":"\q"}""", "not valid JSON", PatternErrorCode.EventNotJson)]
    [InlineData("""{"source":"aws.codebuild","x":{"y" 1}}""", "not valid JSON", PatternErrorCode.EventNotJson)]
    [InlineData("""{"source":"aws.codebuild","x":[[[[[[[[1]]]]]]]]}""", "nested deeper than 8 levels", PatternErrorCode.EventTooDeep)]
    [InlineData("""{"source":"aws\u0000"} """, "", PatternErrorCode.Unspecified)]
    public void TryMatch_BadEvent_ReturnsAnErrorNotAnException(string @event, string error, PatternErrorCode code)
    {
        var matches = new List<int>();
        var ok = Matcher.TryMatch(Encoding.UTF8.GetBytes(@event), matches, out var message);
        if (error.Length == 0)
        {
            Assert.True(ok, message?.Message);
            return;
        }

        Assert.False(ok);
        Assert.NotNull(message);
        Assert.Contains(error, message.Message, StringComparison.Ordinal);
        Assert.Equal(code, message.Code);
        Assert.Empty(matches);
    }

    [Fact]
    public void TryMatch_TooLarge_IsRefusedBeforeReading()
    {
        var @event = "{\"source\":\"" + new string('x', 5000) + "\"}";
        Assert.False(Matcher.TryMatch(Encoding.UTF8.GetBytes(@event), [], out var error));
        Assert.Contains("over the limit of 4096", error.Message, StringComparison.Ordinal);
        Assert.Equal(PatternErrorCode.EventTooLarge, error.Code);
    }

    [Fact]
    public void TryMatch_InvalidUtf8_ReturnsAnError()
    {
        byte[] @event = [.. "{\"source\":\""u8, 0xC3, 0x28, .. "\"}"u8];
        Assert.False(Matcher.TryMatch(@event, [], out var error));
        Assert.Equal(PatternErrorCode.EventNotUtf8, error.Code);
    }

    [Fact]
    public void TryMatch_EscapedKeysAndValues_AreUnescapedBeforeMatching()
    {
        var matches = new List<int>();
        Assert.True(Matcher.TryMatch(Encoding.UTF8.GetBytes("""{"sour\u0063e":"aws.code\u0062uild"}"""), matches, out _));
        Assert.Equal([1, 2], matches);
    }

    [Fact]
    public void TryMatch_ManyThreads_GiveTheSameAnswers()
    {
        var @event = Encoding.UTF8.GetBytes("""{"source":"aws.codebuild","detail":[{"a":1}]}""");
        var results = new List<int>[64];
        Parallel.For(0, results.Length, i =>
        {
            var matches = new List<int>();
            for (var n = 0; n < 200; n++)
            {
                matches.Clear();
                Matcher.TryMatch(@event, matches, out _);
            }

            results[i] = matches;
        });

        Assert.All(results, r => Assert.Equal([1, 2], r));
    }

    [Fact]
    public void Compile_NoPatterns_MatchesNothing()
    {
        var matcher = PatternMatcher.Compile([]);
        var matches = new List<int>();
        Assert.True(matcher.TryMatch("""{"a":1}"""u8, matches, out _));
        Assert.Empty(matches);
        Assert.Equal(0, matcher.Count);
    }
}
