using System.CommandLine;
using System.Diagnostics;

namespace EventPatterns.Benchmarks;

/// <summary>The command line: <c>--rules RULES.json --events EVENTS.json[.gz]</c>. Prints one line a
/// kind on standard output (<see cref="KindResult.ToString"/>); progress and problems go to standard
/// error.</summary>
internal static class BenchmarkCommand
{
    private const double BusyMachineCpuShare = 0.95;

    public static RootCommand Create()
    {
        var rules = new Option<FileInfo>("--rules")
        {
            Description = "Rule sets, shaped like citylots2-benchmark-rules.json.",
            Required = true,
        };
        var events = new Option<FileInfo>("--events")
        {
            Description = "Events, one JSON object a line; gzip-compressed when the name ends in .gz.",
            Required = true,
        };
        var command = new RootCommand("Times the EventPatterns matcher over JSON-lines events, kind by kind.");
        command.Options.Add(rules);
        command.Options.Add(events);
        command.SetAction(parseResult => Run(
            parseResult.GetRequiredValue(rules),
            parseResult.GetRequiredValue(events),
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(FileInfo rulesFile, FileInfo eventsFile, TextWriter output, TextWriter error)
    {
        var ruleSets = RuleSet.Load(rulesFile.FullName);
        var loading = Stopwatch.GetTimestamp();
        var events = EventCorpus.Load(eventsFile.FullName);
        error.WriteLine($"{events.Count} events from {eventsFile.Name} in {Stopwatch.GetElapsedTime(loading).TotalSeconds:F1} s; {ruleSets.Count} kinds");

        var runner = new BenchmarkRunner(events);
        var sound = true;
        foreach (var ruleSet in ruleSets)
        {
            var result = runner.Run(ruleSet);
            output.WriteLine(result);
            if (result.CpuShare < BusyMachineCpuShare)
            {
                error.WriteLine($"{result.Kind}: on a CPU for only {result.CpuShare * 100:F1}% of the timed pass; other work on the machine slowed it");
            }

            if (result.RefusedEvents > 0)
            {
                error.WriteLine($"{result.Kind}: the matcher refused {result.RefusedEvents} events; the first: {result.FirstError}");
                sound = false;
            }
        }

        return sound ? 0 : 1;
    }
}
