namespace RemediationWorker.Tests;

public sealed class PlaceholderTests
{
    [Fact]
    public void Options_Default_BoundsDepth() => Assert.Equal(64, EventPatterns.MatcherOptions.Default.MaxDepth);
}
