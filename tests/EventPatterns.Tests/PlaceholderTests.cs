namespace EventPatterns.Tests;

public sealed class PlaceholderTests
{
    [Fact]
    public void Options_Default_BoundsDepth() => Assert.Equal(64, MatcherOptions.Default.MaxDepth);
}
