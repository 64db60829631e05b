using System.Text;
using EventPatterns;
using RemediationWorker.Intake;
using RemediationWorker.Tests.TestSupport;

namespace RemediationWorker.Tests.Intake;

/// <summary>The intake's one walk (the matcher compiled with <see cref="EventLimits.ToMatcherOptions"/>) refuses
/// exactly what <see cref="StrictJsonReader"/> refuses, names the rule as it does, and matches as the plain matcher.</summary>
public sealed class EventIntakeCheckTests
{
    private static readonly EventPattern[] Patterns =
    [
        EventPattern.Parse("""{"source":["aws.cloudformation"],"detail":{"status-details":{"status":["UPDATE_ROLLBACK_FAILED"]}}}"""),
        EventPattern.Parse("""{"detail-type":[{"prefix":"CodeBuild"}],"detail":{"build-status":["FAILED"]}}"""),
        EventPattern.Parse("""{"account":[{"anything-but":"000000000000"}],"resources":[{"exists":true}]}"""),
    ];

    public static TheoryData<int, int, int> Limits => new()
    {
        { 64, 10_000, 16_384 }, // the defaults
        { 6, 8, 110 },          // what most samples keep to, so that mutations cross every limit
    };

    [Theory]
    [MemberData(nameof(Limits))]
    public void MutatedEvents_SameVerdictAsTheStrictReaderAndTheSameMatches(int maxDepth, int maxArrayLength, int maxStringLength)
    {
        var limits = new EventLimits { MaxDepth = maxDepth, MaxArrayLength = maxArrayLength, MaxStringLength = maxStringLength };
        var strict = PatternMatcher.Compile(Patterns, limits.ToMatcherOptions());
        var plain = PatternMatcher.Compile(Patterns, new MatcherOptions { MaxDepth = maxDepth });
        var seeds = Directory.GetFiles(RepositoryPaths.SampleEvents, "*.json").Concat(Directory.GetFiles(HostileInputContractTests.Fixtures, "*.json"))
            .Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToArray();
        var random = new Random(1518);
        var verdicts = new int[2];
        for (var i = 0; i < 6_000; i++)
        {
            var noise = new byte[random.Next(0, 12)];
            random.NextBytes(noise);
            if (random.Next(2) == 0)
            {
                // Mostly JSON's own bytes, so that most mutations stay JSON and reach the rules beyond it.
                for (var n = 0; n < noise.Length; n++)
                {
                    noise[n] = (byte)"{}[],:\"\\u0dD8aA \n1e-"[random.Next(20)];
                }
            }

            var body = HostileInputFuzzTests.Mutate(seeds[random.Next(seeds.Length)], random.Next(6), random.Next(), noise);
            var strictVerdict = StrictJsonReader.TryCheck(body, limits, out var strictError);
            var matches = new List<int>();
            var walked = strict.TryMatch(body, matches, out var walkError);
            var text = Encoding.UTF8.GetString(body);
            Assert.True(
                strictVerdict == (walked || walkError!.Code == PatternErrorCode.EventNotAnObject),
                $"{text}: the strict reader {strictError ?? "accepts"}, the walk {walkError?.Message ?? "accepts"}");

            var read = EventIntakeCheck.TryRead(body, strict, limits, [], null, out _, out var error);
            if (!strictVerdict)
            {
                Assert.False(read);
                Assert.Equal(strictError, error);
            }

            if (walked)
            {
                var expected = new List<int>();
                Assert.True(plain.TryMatch(body, expected, out _));
                Assert.Equal(expected, matches);
            }

            verdicts[strictVerdict ? 1 : 0]++;
        }

        Assert.True(verdicts[0] > 300 && verdicts[1] > 300, $"refused {verdicts[0]}, accepted {verdicts[1]}: both sides should be reached");
    }

    [Theory]
    [InlineData("""{"id":"a","id":"b","source":"s","detail-type":"d","account":"1","region":"r","time":"2026-11-26T08:02:00Z","detail":{}}""", "duplicate-member: \"id\" appears twice in the event")]
    [InlineData("""{"id":"a\ud800","source":"s","detail-type":"d","account":"1","region":"r","time":"2026-11-26T08:02:00Z","detail":{}}""", "lone-surrogate: a string at id ")]
    [InlineData("""{"id":"a","source":"s","detail-type":"d","account":"1","region":"r","time":"2026-11-26T08:02:00Z","detail":{"x":{"y":1,"y":2}}}""", "duplicate-member: \"y\" appears twice in detail.x")]
    [InlineData("[1,2]", "not an EventBridge event: the body is not a JSON object")]
    public void TryRead_Refused_NamesTheRuleAndThePlace(string body, string expected)
    {
        var limits = new EventLimits();
        var matcher = PatternMatcher.Compile(Patterns, limits.ToMatcherOptions());

        Assert.False(EventIntakeCheck.TryRead(Encoding.UTF8.GetBytes(body), matcher, limits, [], null, out var envelope, out var error));
        Assert.Null(envelope);
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryRead_SampleEvent_EnvelopeAndMatchesFromOneWalk()
    {
        var limits = new EventLimits();
        var matcher = PatternMatcher.Compile(Patterns, limits.ToMatcherOptions());
        var matches = new List<int>();

        Assert.True(EventIntakeCheck.TryRead(File.ReadAllBytes(RepositoryPaths.Sample("cfn-stack-update-rollback-failed.json")), matcher, limits, matches, null, out var envelope, out var error), error);
        Assert.Equal("aws.cloudformation", envelope.Source);
        Assert.Equal([0, 2], matches);
    }
}
