using System.Diagnostics;

namespace EventPatterns.Benchmarks;

/// <summary>Times single-threaded passes of a kind's patterns, compiled into one matcher, over every event,
/// after warming up until two passes in a row took CPU times within 2% of each other, and for at least 3 CPU-seconds.</summary>
internal sealed class BenchmarkRunner
{
    /// <summary>Two warm-up passes this close (CPU time) mean the JIT has settled: tiered compilation, which
    /// on one CPU waits ten times longer, has replaced the code the first passes ran.</summary>
    private const double SteadyWithin = 0.02;

    private const int MaxWarmupPasses = 30;

    /// <summary>Two slow passes can also agree: on one CPU the tiered compiler waits about a second before it
    /// promotes anything, then promotes in stages, so passes before that are not evidence. Warm-up goes on for at
    /// least this much CPU time (seen: EXACT timed at 77,000 events a second after two such passes, 540,000 once
    /// warm).</summary>
    private static readonly TimeSpan MinimumWarmup = TimeSpan.FromSeconds(3);

    private readonly EventCorpus _events;
    private readonly MatcherOptions _options;
    private readonly List<int> _matches = [];

    public BenchmarkRunner(EventCorpus events, MatcherOptions options)
    {
        _events = events;
        _options = options;
    }

    public KindResult Run(RuleSet ruleSet, int passes)
    {
        var patterns = ruleSet.Patterns.Select(EventPattern.Parse).ToList();
        var matcher = PatternMatcher.Compile(patterns, _options);

        var (warmups, steady) = WarmUp(matcher);
        // Garbage from loading and from earlier kinds is collected now, not during the timed passes.
        GC.Collect();
        GC.WaitForPendingFinalizers();

        var timed = new List<Pass>(passes);
        for (var i = 0; i < passes; i++)
        {
            timed.Add(TimedPass(matcher));
        }

        var median = timed.OrderBy(p => p.Elapsed).ElementAt(passes / 2);
        return new KindResult(
            ruleSet.Kind,
            _events.Count / median.Elapsed.TotalSeconds,
            median.Matches,
            (double)median.Allocated / _events.Count,
            median.Cpu / median.Elapsed,
            _events.Count / median.Cpu.TotalSeconds,
            warmups,
            steady,
            median.Refused,
            median.FirstError);
    }

    /// <summary>The slowest single event: each event's CPU time is the least of <paramref name="passes"/>
    /// untimed passes (so that a timer tick, a collection or a compilation does not count), after warm-up.</summary>
    public (TimeSpan Cpu, int Index) Slowest(RuleSet ruleSet, int passes = 5)
    {
        var matcher = PatternMatcher.Compile(ruleSet.Patterns.Select(EventPattern.Parse).ToList(), _options);
        WarmUp(matcher);
        var least = new TimeSpan[_events.Count];
        Array.Fill(least, TimeSpan.MaxValue);
        for (var pass = 0; pass < passes; pass++)
        {
            for (var i = 0; i < _events.Count; i++)
            {
                _matches.Clear();
                var before = Environment.CpuUsage.TotalTime;
                matcher.TryMatch(_events[i], _matches, out _);
                var cpu = Environment.CpuUsage.TotalTime - before;
                least[i] = cpu < least[i] ? cpu : least[i];
            }
        }

        var slowest = Array.IndexOf(least, least.Max());
        return (least[slowest], slowest);
    }

    private (int Passes, bool Steady) WarmUp(PatternMatcher matcher)
    {
        var previous = TimeSpan.Zero;
        var started = Environment.CpuUsage.TotalTime;
        for (var pass = 1; pass <= MaxWarmupPasses; pass++)
        {
            var before = Environment.CpuUsage.TotalTime;
            MatchAll(matcher);
            var cpu = Environment.CpuUsage.TotalTime - before;
            if (pass > 1 && Math.Abs(cpu.TotalSeconds - previous.TotalSeconds) <= SteadyWithin * previous.TotalSeconds
                && Environment.CpuUsage.TotalTime - started >= MinimumWarmup)
            {
                return (pass, true);
            }

            previous = cpu;
        }

        return (MaxWarmupPasses, false);
    }

    private Pass TimedPass(PatternMatcher matcher)
    {
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var started = Stopwatch.GetTimestamp();
        var (matches, refused, firstError) = MatchAll(matcher);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var cpu = Environment.CpuUsage.TotalTime - cpuBefore;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        return new Pass(elapsed, cpu, allocated, matches, refused, firstError);
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

    private readonly record struct Pass(TimeSpan Elapsed, TimeSpan Cpu, long Allocated, long Matches, int Refused, string? FirstError);
}
