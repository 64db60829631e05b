using System.Text.Json.Nodes;
using EventPatterns;
using RemediationWorker.Tests.TestSupport;

namespace RemediationWorker.Tests.Playbooks;

/// <summary>samples/patterns (for test-pattern in the README) are the shipped playbooks' patterns, and
/// each selects its fault's sample event and none of the look-alikes.</summary>
public sealed class SamplePatternsTests
{
    private static readonly string[] LookAlikes =
    [
        "cfn-stack-create-complete.json", "cfn-drift-in-sync.json", "codebuild-succeeded.json", "codebuild-failed-in-build.json",
    ];

    [Theory]
    [InlineData("update-rollback-failed.json", "stack-rollback-continue", "cfn-stack-update-rollback-failed.json")]
    [InlineData("stack-drifted.json", "stack-drift-revert", "cfn-drift-detected.json")]
    [InlineData("build-failed-transient.json", "codebuild-transient-retry", "codebuild-failed-provisioning.json")]
    public void SamplePattern_IsThePlaybooksPattern_AndSelectsOnlyItsFault(string patternFile, string playbookId, string faultEvent)
    {
        var path = Path.Combine(RepositoryPaths.Root, "samples", "patterns", patternFile);
        var sample = JsonNode.Parse(File.ReadAllText(path));
        var shipped = TestConfiguration.Playbook(TestConfiguration.ShippedJson(), playbookId)["pattern"];
        Assert.True(JsonNode.DeepEquals(sample, shipped), $"{patternFile} differs from playbook {playbookId}'s pattern in appsettings.json");

        var matcher = PatternMatcher.Compile([EventPattern.Parse(File.ReadAllText(path))]);
        Assert.True(Matches(matcher, faultEvent), $"{patternFile} does not match {faultEvent}");
        Assert.All(LookAlikes, lookAlike => Assert.False(Matches(matcher, lookAlike), $"{patternFile} matches the look-alike {lookAlike}"));
    }

    private static bool Matches(PatternMatcher matcher, string sampleEvent)
    {
        var matches = new List<int>();
        Assert.True(matcher.TryMatch(File.ReadAllBytes(RepositoryPaths.Sample(sampleEvent)), matches, out var error), error?.Message);
        return matches.Count == 1;
    }
}
