using System.Text;

namespace EventPatterns.Tests.Matching;

/// <summary>The one-pass decision (<c>Matching/ConsistentChoice</c>) that bounds the work of an event with
/// large arrays answers exactly as the backtracking search does.</summary>
public sealed class ConsistentChoiceTests
{
    private static readonly string[] Patterns =
    [
        """{"d":{"a":[1],"b":[2]}}""",
        """{"d":{"a":[1],"e":{"b":[2]}}}""",
        """{"d":{"a":[1],"b":[2],"e":{"a":[1]}}}""",
        """{"d":{"e":{"a":[1],"b":[2]}},"t":["x"]}""",
        """{"d":{"a":[{"numeric":[">",0]}],"e":{"b":[2],"e":{"a":[1]}}}}""",
        """{"d":{"a":[1,2],"b":[1,2],"e":{"a":[1,2],"b":[1,2]}}}""",
        // exists:false, checked against the leaves of the fields before it in name order
        """{"d":{"a":[1],"b":[{"exists":false}]}}""",
        """{"d":{"a":[{"exists":false}],"b":[2]}}""",
        """{"d":{"a":[1],"b":[{"exists":false}],"e":{"a":[2]}}}""",
        """{"d":{"a":[{"exists":false}],"b":[1],"e":{"b":[{"exists":false}],"a":[2]}}}""",
        """{"d":{"a":[2,{"exists":false}],"b":[1,{"exists":false}],"e":{"e":{"a":[1]}}}}""",
        """{"d":{"e":{"a":[{"exists":false}],"b":[2]},"a":[1]}}""",
    ];

    [Fact]
    public void RandomEvents_OnePassAndBacktracking_Agree()
    {
        var parsed = Patterns.Select(EventPattern.Parse).ToList();
        var onePass = PatternMatcher.Compile(parsed, null, backtrackingBudget: 0);
        var backtracking = PatternMatcher.Compile(parsed, null, backtrackingBudget: int.MaxValue);
        var random = new Random(18);
        var matchedSome = 0;
        for (var i = 0; i < 3000; i++)
        {
            var @event = Encoding.UTF8.GetBytes($$"""{"t":"x","d":{{Value(random, 0)}}}""");
            var expected = new List<int>();
            var actual = new List<int>();
            Assert.True(backtracking.TryMatch(@event, expected, out _));
            Assert.True(onePass.TryMatch(@event, actual, out _));
            Assert.Equal(Encoding.UTF8.GetString(@event) + " " + string.Join(",", expected), Encoding.UTF8.GetString(@event) + " " + string.Join(",", actual));
            matchedSome += expected.Count > 0 ? 1 : 0;
        }

        // The generator must produce both outcomes for the comparison to mean anything.
        Assert.InRange(matchedSome, 200, 2800);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LargeArray_FieldsInAlternateElements_DecidedWithoutSearchingEveryPair(bool lastElementHasBoth)
    {
        var elements = Enumerable.Range(0, 50_000).Select(i => i % 2 == 0 ? """{"a":1}""" : """{"b":2}""");
        var tail = lastElementHasBoth ? """,{"a":1,"b":2}""" : "";
        var @event = $$"""{"d":[{{string.Join(",", elements)}}{{tail}}]}""";
        Assert.Equal(lastElementHasBoth, Match.One(Patterns[0], @event));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LargeArray_AbsenceAgainstEveryEarlierLeaf_DecidedWithoutSearchingEveryPair(bool lastElementLacksB)
    {
        // Each a needs b absent from its element and from every other: every element has a b, so the search
        // would test each of 50,000 a leaves against all 50,000 b leaves.
        var elements = Enumerable.Range(0, 50_000).Select(_ => """{"a":1,"b":2}""");
        var tail = lastElementLacksB ? """,{"a":1}""" : "";
        var @event = $$"""{"d":[{{string.Join(",", elements)}}{{tail}}]}""";
        // An a in an element without b leaves every other element's b in another element: absent, a match.
        Assert.Equal(lastElementLacksB, Match.One("""{"d":{"a":[1],"b":[{"exists":false}]}}""", @event));
    }

    private static string Value(Random random, int depth)
    {
        var roll = depth >= 4 ? 0 : random.Next(6);
        return roll switch
        {
            0 => random.Next(1, 3).ToString(System.Globalization.CultureInfo.InvariantCulture),
            1 or 2 => Object(random, depth),
            _ => "[" + string.Join(",", Enumerable.Range(0, random.Next(4)).Select(_ => Value(random, depth + 1))) + "]",
        };
    }

    private static string Object(Random random, int depth)
    {
        var keys = new[] { "a", "b", "e" }.Where(_ => random.Next(10) < 7);
        return "{" + string.Join(",", keys.Select(k => $"\"{k}\":{(k == "e" ? Value(random, depth + 1) : Value(random, depth + 1))}")) + "}";
    }
}
