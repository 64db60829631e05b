using System.Text;
using EventPatterns;
using RemediationWorker.Playbooks;

namespace RemediationWorker.Tests.Playbooks;

public sealed class PatternExplainerTests
{
    private static readonly EventPattern[] Patterns =
    [
        EventPattern.Parse("""{"detail":{"status":["FAILED"],"kind":["build"]}}"""),
        EventPattern.Parse("""{"detail":{"phases":{"phase-status":["FAILED","FAULT"]}}}"""),
    ];

    [Theory]
    [InlineData("""{"detail":{"status":"OK","kind":"build"}}""", "nearest playbook first: detail.status: decides no match: no value matched; the event has \"OK\", the pattern wants [\"FAILED\"]")]
    [InlineData("""{"detail":{"status":"OK","kind":"deploy"}}""", "nearest playbook second: detail.phases.phase-status: decides no match: the field is missing from the event (the pattern wants [\"FAILED\",\"FAULT\"])")]
    [InlineData("""{"detail":{"phases":[{"phase-status":"SUCCEEDED"},{"phase-status":"SUCCEEDED"},{"phase-status":1},{"phase-status":2},{"phase-status":3},{"phase-status":"<6>"}]}}""", "nearest playbook second: detail.phases.phase-status: decides no match: no value matched; the event has \"SUCCEEDED\", \"SUCCEEDED\", 1, 2, 3 and 1 more, the pattern wants [\"FAILED\",\"FAULT\"]")]
    [InlineData("""{"detail":{"other":1}}""", "nearest playbook second: detail.phases.phase-status: decides no match: the field is missing from the event (the pattern wants [\"FAILED\",\"FAULT\"])")]
    public void NearestMiss_NamesTheClosestPlaybookAndItsFirstMissingField(string json, string expected)
    {
        Assert.Equal(expected, NearestMiss(PatternExplainer.Create(Patterns), json));
    }

    /// <summary>The reason is remembered per field: the same values give the same text, other values their own.</summary>
    [Fact]
    public void NearestMiss_OneExplainerForManyEvents_EachItsOwnValues()
    {
        var explainer = PatternExplainer.Create(Patterns);
        string[] events =
        [
            """{"detail":{"status":"OK","kind":"build"}}""",
            """{"detail":{"status":"OK","kind":"build"}}""",
            """{"detail":{"status":"OKAY","kind":"build"}}""",
            """{"detail":{"status":"OK","kind":"deploy"}}""",
            """{"detail":{"status":["OK","x"],"kind":"build"}}""",
            """{"detail":{"status":"OK","kind":"build"}}""",
        ];

        foreach (var json in events)
        {
            Assert.Equal(NearestMiss(PatternExplainer.Create(Patterns), json), NearestMiss(explainer, json));
        }
    }

    private static string? NearestMiss(PatternExplainer explainer, string json)
    {
        var utf8 = Encoding.UTF8.GetBytes(json);
        var matches = new List<int>();
        var values = new FieldValues(explainer.Matcher);
        Assert.True(explainer.Matcher.TryMatch(utf8, matches, values, out _));
        return explainer.NearestMiss(["first", "second"], matches, utf8, values);
    }
}
