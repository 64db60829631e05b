using System.Text;
using System.Text.Json;

namespace EventPatterns.Tests.Matching;

/// <summary>The <see cref="MatcherOptions"/> rules beyond JSON's (a member name twice, a lone surrogate escape, an
/// array or a string over its limit) are checked in the matcher's one walk of the event, in the parts a pattern
/// reads and in the parts it skips alike.</summary>
public sealed class StrictReadingTests
{
    private static readonly MatcherOptions Strict = new()
    {
        MaxDepth = 8,
        MaxArrayLength = 4,
        MaxStringLength = 12,
        RejectDuplicateMembers = true,
        RejectLoneSurrogates = true,
    };

    // Reads detail.status and source; everything else is skipped.
    private static readonly PatternMatcher Matcher = PatternMatcher.Compile(
        [EventPattern.Parse("""{"source":[{"prefix":"aws."}],"detail":{"status":["FAILED"]}}""")], Strict);

    [Theory]
    [InlineData("""{"source":"aws.x","source":"aws.y"}""")]
    [InlineData("""{"detail":{"status":"FAILED","status":"OK"},"source":"aws.x"}""")]
    [InlineData("""{"skipped":{"a":1,"b":{"c":2,"c":3}}}""")]
    [InlineData("""{"skipped":[{"a":1},{"b":2,"b":2}]}""")]
    [InlineData("""{"sour\u0063e":"aws.x","source":"aws.y"}""")]
    [InlineData("""{"skipped":{"\u0061":1,"a":2}}""")]
    [InlineData("""{"skipped":{"a\nb":1,"a\u000ab":2}}""")]
    public void MemberNameTwiceInOneObject_RefusedWhereverItIs(string @event)
        => AssertRefused(@event, PatternErrorCode.EventDuplicateMember);

    [Theory]
    [InlineData("""{"a":{"x":1},"b":{"x":1},"x":[{"x":1},{"x":2}]}""")]
    [InlineData("""{"skipped":{"ab":1,"a":2,"abc":3,"abcdefgh1":4,"abcdefgh2":5}}""")]
    [InlineData("""{"source":"aws.x","detail":{"status":"FAILED","source":"aws.y"}}""")]
    public void SameNameInDifferentObjects_Accepted(string @event)
        => Assert.True(Matcher.TryMatch(Encoding.UTF8.GetBytes(@event), [], out var error), error?.Message);

    [Theory]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(33)]
    [InlineData(2_000)]
    public void LargeObjects_DuplicateFoundAtTheStartMiddleAndEnd(int members)
    {
        var matcher = PatternMatcher.Compile([EventPattern.Parse("""{"source":["x"]}""")], new MatcherOptions { RejectDuplicateMembers = true });
        var names = Enumerable.Range(0, members).Select(i => $"\"member{i}\":{i}").ToList();
        // A large object nested in another large one: the inner one's names are forgotten when it closes.
        var inner = "{" + string.Join(",", names) + "}";
        var distinct = "{" + string.Join(",", names.Prepend($"\"inner\":{inner}")) + ",\"source\":\"x\"}";
        var matches = new List<int>();
        Assert.True(matcher.TryMatch(Encoding.UTF8.GetBytes(distinct), matches, out var error), error?.Message);
        Assert.Equal([0], matches);

        foreach (var again in new[] { 0, members / 2, members - 1 })
        {
            var twice = "{" + string.Join(",", names.Append($"\"member{again}\":\"again\"").Prepend($"\"inner\":{inner}")) + "}";
            Assert.False(matcher.TryMatch(Encoding.UTF8.GetBytes(twice), [], out error));
            Assert.Equal(PatternErrorCode.EventDuplicateMember, error.Code);
            Assert.False(matcher.TryMatch(Encoding.UTF8.GetBytes("{\"outer\":" + twice + "}"), [], out error));
            Assert.Equal(PatternErrorCode.EventDuplicateMember, error.Code);
        }
    }

    [Theory]
    [InlineData("""{"source":"aws.\ud800"}""")]
    [InlineData("""{"source":"\udc00"}""")]
    [InlineData("""{"skipped":"\ud83dx"}""")]
    [InlineData("""{"skipped":"\ud83d\u0041"}""")]
    [InlineData("""{"skipped":"\ud83d\ud83d\ude00"}""")]
    [InlineData("""{"skipped":["\ude00\ud83d"]}""")]
    [InlineData("""{"sk\ud800ipped":1}""")]
    [InlineData("""{"skipped":"\ud83d"}""")]
    public void LoneSurrogateEscape_RefusedWhereverItIs(string @event)
        => AssertRefused(@event, PatternErrorCode.EventLoneSurrogate);

    [Fact]
    public void SurrogatePairs_Accepted()
    {
        var matches = new List<int>();
        Assert.True(Matcher.TryMatch(Encoding.UTF8.GetBytes("""{"s":"\ud83d\ude00","t":["\uD83D\uDE00"],"source":"aws.x","source2":"\ud83d\ude00","detail":{"status":"FAILED"}}"""), matches, out var error), error?.Message);
        Assert.Equal([0], matches);
    }

    [Theory]
    [InlineData("""{"skipped":[1,2,3,4,5]}""")]
    [InlineData("""{"skipped":{"a":[[1],[2],[3],[4],[5]]}}""")]
    [InlineData("""{"source":["aws.1","aws.2","aws.3","aws.4","aws.5"]}""")]
    [InlineData("""{"detail":[{"status":[1,2,3,4,{}]}]}""")]
    public void ArrayOverTheLimit_RefusedWhereverItIs(string @event)
        => AssertRefused(@event, PatternErrorCode.EventArrayTooLong);

    [Theory]
    [InlineData("""{"skipped":"0123456789abc"}""")]
    [InlineData("""{"source":"aws.456789abc"}""")]
    [InlineData("""{"0123456789abc":1}""")]
    [InlineData("""{"skipped":"\u0041\u0041x"}""")] // as written: 13 bytes, though it reads as 3 characters
    public void StringOverTheLimit_RefusedWhereverItIs(string @event)
        => AssertRefused(@event, PatternErrorCode.EventStringTooLong);

    [Fact]
    public void AtTheLimits_AcceptedAndMatched()
    {
        var matches = new List<int>();
        Assert.True(Matcher.TryMatch(Encoding.UTF8.GetBytes("""{"skipped":[1,2,3,[4]],"source":"aws.56789abc","detail":{"status":["FAILED",1,2,3]}}"""), matches, out var error), error?.Message);
        Assert.Equal([0], matches);
    }

    [Fact]
    public void DefaultOptions_KeepEventRulersReading()
    {
        // Without the rules a duplicate matches when either does, and a lone surrogate reads as U+FFFD.
        var matcher = PatternMatcher.Compile([EventPattern.Parse("""{"source":["b"]}""")]);
        var matches = new List<int>();
        Assert.True(matcher.TryMatch("""{"source":"a","source":"b","x":"\ud800","y":[1,2,3,4,5,6]}"""u8, matches, out var error), error?.Message);
        Assert.Equal([0], matches);
    }

    [Fact]
    public void MutatedEvents_RefusedExactlyWhenAReaderOfTheWholeDocumentFindsABrokenRule()
    {
        string[] seeds =
        [
            """{"source":"aws.x","detail":{"status":"FAILED","ids":[1,{"k":"\u00e9"}]},"skipped":{"a":[true,null],"b":"\ud83d\ude00"}}""",
            """{"detail":{"status":"OK","other":{"a":1,"b":2,"c":{"d":"x"}}},"resources":["r1","r2"],"source":"s"}""",
        ];
        string[] splices = ["\\ud800", "\\udc00", "\\ud83d\\ude00", "\"a\":1,", "\"source\":\"y\",", "\"b\":[1,2,3],", ",0", "{}", "\\u0061"];
        // Lengths as written are covered above; a name's written length is not something the reference can see.
        var matcher = PatternMatcher.Compile(
            [EventPattern.Parse("""{"source":[{"prefix":"aws."}],"detail":{"status":["FAILED"]}}""")],
            new MatcherOptions { MaxDepth = Strict.MaxDepth, MaxArrayLength = Strict.MaxArrayLength, RejectDuplicateMembers = true, RejectLoneSurrogates = true });
        var random = new Random(15);
        var refusedByRule = 0;
        for (var i = 0; i < 5_000; i++)
        {
            var text = seeds[random.Next(seeds.Length)];
            for (var m = random.Next(1, 3); m > 0; m--)
            {
                text = text.Insert(random.Next(text.Length), splices[random.Next(splices.Length)]);
            }

            var bytes = Encoding.UTF8.GetBytes(text);
            var expected = WholeDocumentAccepts(bytes);
            var accepted = matcher.TryMatch(bytes, [], out var error);
            Assert.True(expected == accepted, $"{text}: the whole-document reader {(expected ? "accepts" : "refuses")}, the matcher {(accepted ? "accepts" : "refuses: " + error?.Message)}");
            refusedByRule += error?.Code is PatternErrorCode.EventDuplicateMember or PatternErrorCode.EventLoneSurrogate or PatternErrorCode.EventArrayTooLong ? 1 : 0;
        }

        Assert.InRange(refusedByRule, 500, 4_500);
    }

    private static void AssertRefused(string @event, PatternErrorCode code)
    {
        var matches = new List<int>();
        Assert.False(Matcher.TryMatch(Encoding.UTF8.GetBytes(@event), matches, out var error));
        Assert.Equal(code, error.Code);
        Assert.Empty(matches);
    }

    /// <summary>The reference: System.Text.Json's document, every name and string read as .NET text (which a lone
    /// surrogate cannot be), names compared per object, arrays counted.</summary>
    private static bool WholeDocumentAccepts(byte[] bytes)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = Strict.MaxDepth });
            return document.RootElement.ValueKind == JsonValueKind.Object && Keeps(document.RootElement);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return false;
        }
    }

    private static bool Keeps(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().Select(p => p.Name).Distinct(StringComparer.Ordinal).Count() == element.EnumerateObject().Count()
            && element.EnumerateObject().All(p => Keeps(p.Value)),
        JsonValueKind.Array => element.GetArrayLength() <= Strict.MaxArrayLength && element.EnumerateArray().All(Keeps),
        JsonValueKind.String => element.GetString() is not null,
        _ => true,
    };
}
