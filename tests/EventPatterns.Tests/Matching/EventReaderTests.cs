using System.Text;
using System.Text.Json;

namespace EventPatterns.Tests.Matching;

/// <summary>The matcher's own reader refuses exactly the events System.Text.Json refuses, wherever the fault
/// is (also in parts no pattern reads, which it skips without tokenizing), and unescapes what it reads.</summary>
public sealed class EventReaderTests
{
    private static readonly PatternMatcher Matcher = PatternMatcher.Compile(
    [
        EventPattern.Parse("""{"detail":{"status":["FAILED"],"ids":[{"exists":true}]}}"""),
        EventPattern.Parse("""{"source":[{"prefix":"aws."}]}"""),
    ], new MatcherOptions { MaxDepth = 6 });

    private static readonly string[] Seeds =
    [
        """{"source":"aws.codebuild","detail":{"status":"FAILED","ids":[1,2.5e-3,-0,{"k":"v"}],"other":{"a":[true,false,null,"x\"y\\u00e9"],"b":-12.5E+3}},"resources":["arn:1",[],{}]}""",
        """{"detail":{"status":"F\u0041ILED","other":[[["deep"]],{"s":"\ud83d\ude00"}]},"skip":{"n":[0,1,-1e10,{"m":[null]}]}}""",
        """ {"a" : [ 1 , { "b" : "c" } ] , "detail" : { } } """,
    ];

    private const string Mutations = "{}[],:\"\\ 0123456789-+.eEtrufalsn\t\nx/'";

    [Fact]
    public void MutatedEvents_AcceptedExactlyWhenSystemTextJsonAcceptsThem()
    {
        var random = new Random(18);
        var refused = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var seed = Seeds[random.Next(Seeds.Length)];
            var chars = seed.ToList();
            for (var m = random.Next(1, 3); m > 0; m--)
            {
                var at = random.Next(chars.Count);
                switch (random.Next(3))
                {
                    case 0:
                        chars.RemoveAt(at);
                        break;
                    case 1:
                        chars.Insert(at, Mutations[random.Next(Mutations.Length)]);
                        break;
                    default:
                        chars[at] = Mutations[random.Next(Mutations.Length)];
                        break;
                }
            }

            var bytes = Encoding.UTF8.GetBytes(chars.ToArray());
            var expected = SystemTextJsonAccepts(bytes);
            var accepted = Matcher.TryMatch(bytes, [], out var error);
            Assert.True(expected == accepted, $"{new string([.. chars])}: System.Text.Json {(expected ? "accepts" : "refuses")}, the matcher {(accepted ? "accepts" : "refuses: " + error?.Message)}");
            refused += accepted ? 0 : 1;
        }

        Assert.InRange(refused, 2_000, 18_000);
    }

    [Theory]
    [InlineData("""{"source":"aws.\u0063odebuild"}""", true)]
    [InlineData("""{"sour\u0063e":"aws.x"}""", true)]
    [InlineData("""{"source":"\u0061ws.x"}""", true)]
    [InlineData("""{"source":"\ud800aws."}""", false)] // a lone surrogate reads as U+FFFD
    [InlineData("""{"source":"\\aws."}""", false)]
    public void EscapedStrings_AreUnescapedBeforeMatching(string @event, bool expected)
    {
        var matches = new List<int>();
        Assert.True(Matcher.TryMatch(Encoding.UTF8.GetBytes(@event), matches, out var error), error?.Message);
        Assert.Equal(expected, matches.Contains(1));
    }

    [Theory]
    [InlineData(299, true)]
    [InlineData(300, false)]
    public void DeepUnreadValue_CountsAgainstMaxDepthBeyond256(int arrays, bool accepted)
    {
        var matcher = PatternMatcher.Compile([EventPattern.Parse("""{"source":["x"]}""")], new MatcherOptions { MaxDepth = 300 });
        var @event = "{\"skip\":" + new string('[', arrays) + new string(']', arrays) + ",\"source\":\"x\"}";
        var matches = new List<int>();
        Assert.Equal(accepted, matcher.TryMatch(Encoding.UTF8.GetBytes(@event), matches, out var error));
        Assert.Equal(accepted ? null : PatternErrorCode.EventTooDeep, error?.Code);
        Assert.Equal(accepted ? 1 : 0, matches.Count);
    }

    private static bool SystemTextJsonAccepts(byte[] bytes)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 6 });
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
