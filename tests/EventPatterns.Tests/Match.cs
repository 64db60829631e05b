using System.Text;

namespace EventPatterns.Tests;

/// <summary>Compiles one pattern and matches one event, for tests that state a single outcome.</summary>
internal static class Match
{
    public static bool One(string pattern, string @event)
    {
        var matcher = PatternMatcher.Compile([EventPattern.Parse(pattern)]);
        var matches = new List<int>();
        Assert.True(matcher.TryMatch(Encoding.UTF8.GetBytes(@event), matches, out var error), error?.Message);
        return matches.Count == 1;
    }
}
