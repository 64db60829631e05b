using System.Diagnostics;

namespace EventPatterns.Benchmarks;

/// <summary>Times one single-threaded pass of a kind's patterns, compiled into one matcher, over
/// every event, after one warm-up pass.</summary>
internal sealed class BenchmarkRunner
{
    private readonly EventCorpus _events;
    private readonly List<int> _matches = [];

    public BenchmarkRunner(EventCorpus events)
    {
        _events = events;
    }

    public KindResult Run(RuleSet ruleSet)
    {
        var patterns = ruleSet.Patterns.Select(EventPattern.Parse).ToList();
        var matcher = PatternMatcher.Compile(patterns);

        MatchAll(matcher);
        // Garbage from loading and from earlier kinds is collected now, not during the timed pass.
        GC.Collect();
        GC.WaitForPendingFinalizers();

        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var started = Stopwatch.GetTimestamp();
        var (matches, refused, firstError) = MatchAll(matcher);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var cpu = Environment.CpuUsage.TotalTime - cpuBefore;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        return new KindResult(
            ruleSet.Kind,
            _events.Count / elapsed.TotalSeconds,
            matches,
            (double)allocated / _events.Count,
            cpu / elapsed,
            refused,
            firstError);
    }

    private (long Matches, int Refused, string? FirstError) MatchAll(PatternMatcher matcher)
    {
        long matches = 0;
        var refused = 0;
        string? firstError = null;
        for (var i = 0; i < _events.Count; i++)
        {
            _matches.Clear();
            if (matcher.TryMatch(_events[i], _matches, out var error))
            {
                matches += _matches.Count;
            }
            else
            {
                refused++;
                firstError ??= error.Message;
            }
        }

        return (matches, refused, firstError);
    }
}
