using System.CommandLine;
using System.Diagnostics;
using System.Globalization;

namespace EventPatterns.Benchmarks;

/// <summary>The command line: <c>--rules RULES.json --events EVENTS.json[.gz]</c>. Prints one line a
/// kind on standard output (<see cref="KindResult.ToString"/>), then COMBO (every kind's patterns in one
/// matcher); progress and problems go to standard error.</summary>
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
        var passes = new Option<int>("--passes")
        {
            Description = "Timed passes a kind; the line reports the median.",
            DefaultValueFactory = _ => 1,
        };
        var only = new Option<string[]>("--only")
        {
            Description = "Run only these kinds (COMBO included), comma-separated.",
            AllowMultipleArgumentsPerToken = true,
        };
        var noCombo = new Option<bool>("--no-combo") { Description = "Leave out COMBO." };
        var slowest = new Option<bool>("--slowest")
        {
            Description = "Also report, on standard error, each kind's slowest event by CPU time (one more untimed pass).",
        };
        var intakeRules = new Option<bool>("--intake-rules")
        {
            Description = "Match as the worker does: with its intake's rules (no member name twice, no lone surrogate, "
                + "arrays of at most 10,000 elements, strings of at most 16,384 bytes: Intake:Limits' defaults) checked in the same walk.",
        };
        var command = new RootCommand("Times the EventPatterns matcher over JSON-lines events, kind by kind, then COMBO.");
        command.Options.Add(rules);
        command.Options.Add(events);
        command.Options.Add(passes);
        command.Options.Add(only);
        command.Options.Add(noCombo);
        command.Options.Add(slowest);
        command.Options.Add(intakeRules);
        command.SetAction(parseResult => Run(
            new Settings(
                parseResult.GetRequiredValue(rules),
                parseResult.GetRequiredValue(events),
                Math.Max(1, parseResult.GetValue(passes)),
                (parseResult.GetValue(only) ?? []).SelectMany(o => o.Split(',', StringSplitOptions.RemoveEmptyEntries)).ToHashSet(StringComparer.Ordinal),
                parseResult.GetValue(noCombo),
                parseResult.GetValue(slowest),
                parseResult.GetValue(intakeRules)),
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(Settings settings, TextWriter output, TextWriter error)
    {
        var kinds = RuleSet.Load(settings.Rules.FullName);
        var ruleSets = settings.NoCombo ? kinds : [.. kinds, RuleSet.Combo(kinds)];
        if (settings.Only.Count > 0)
        {
            ruleSets = ruleSets.Where(r => settings.Only.Contains(r.Kind)).ToList();
        }

        var loading = Stopwatch.GetTimestamp();
        var events = EventCorpus.Load(settings.Events.FullName);
        error.WriteLine($"{events.Count} events from {settings.Events.Name} in {Stopwatch.GetElapsedTime(loading).TotalSeconds:F1} s; {ruleSets.Count} kinds");

        var runner = new BenchmarkRunner(events, settings.IntakeRules ? IntakeRules : MatcherOptions.Default);
        var sound = true;
        foreach (var ruleSet in ruleSets)
        {
            var result = runner.Run(ruleSet, settings.Passes);
            output.WriteLine(result);
            error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{result.Kind}: {result.EventsPerCpuSecond:F0} events per CPU-second; {result.WarmupPasses} warm-up passes{(result.Steady ? "" : " (never two within 2%: gave up)")}"));
            if (result.CpuShare < BusyMachineCpuShare)
            {
                error.WriteLine($"{result.Kind}: on a CPU for only {result.CpuShare * 100:F1}% of the timed pass; other work on the machine slowed it");
            }

            if (result.RefusedEvents > 0)
            {
                error.WriteLine($"{result.Kind}: the matcher refused {result.RefusedEvents} events; the first: {result.FirstError}");
                sound = false;
            }

            if (settings.Slowest)
            {
                var (cpu, index) = runner.Slowest(ruleSet);
                error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{result.Kind}: slowest event {index + 1} ({events.Length(index)} bytes): {cpu.TotalMilliseconds:F1} ms CPU"));
            }
        }

        return sound ? 0 : 1;
    }

    /// <summary>What the worker compiles its playbooks with for the default <c>Intake:Limits</c>
    /// (src/RemediationWorker/Intake/EventLimits.cs).</summary>
    private static readonly MatcherOptions IntakeRules = new()
    {
        MaxArrayLength = 10_000,
        MaxStringLength = 16_384,
        RejectDuplicateMembers = true,
        RejectLoneSurrogates = true,
    };

    private sealed record Settings(FileInfo Rules, FileInfo Events, int Passes, HashSet<string> Only, bool NoCombo, bool Slowest, bool IntakeRules);
}
