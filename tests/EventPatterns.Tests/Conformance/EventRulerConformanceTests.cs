using System.Text;

namespace EventPatterns.Tests.Conformance;

/// <summary>Every case whose outcome event-ruler (the library EventBridge matches with) produced
/// must come out the same here, except the ones listed with the reason we decide otherwise.</summary>
public sealed class EventRulerConformanceTests
{
    /// <summary>Cases (by line) where the engine deliberately differs from event-ruler, and why.</summary>
    private static readonly Dictionary<int, string> Deviations = new()
    {
    };

    [Fact]
    public void Cases_All_FileHasTheDocumentedCount() => Assert.Equal(1129, ConformanceCases.All.Count);

    [Fact]
    public void Cases_EveryCase_AgreesWithEventRulerOrIsAListedDeviation()
    {
        var disagreements = new List<string>();
        var deviationsThatAgree = new List<int>();
        foreach (var @case in ConformanceCases.All)
        {
            var (agrees, detail) = Run(@case);
            if (Deviations.ContainsKey(@case.Line))
            {
                if (agrees)
                {
                    deviationsThatAgree.Add(@case.Line);
                }
            }
            else if (!agrees)
            {
                disagreements.Add($"{@case}: {detail}\n  pattern {Truncate(@case.Pattern)}\n  event   {Truncate(@case.Event)}");
            }
        }

        Assert.True(disagreements.Count == 0, $"{disagreements.Count} cases disagree with event-ruler:\n" + string.Join("\n", disagreements));
        Assert.True(deviationsThatAgree.Count == 0, "listed deviations that now agree (remove them): " + string.Join(", ", deviationsThatAgree));
    }

    [Fact]
    public void Cases_DecidedInOnePassOnly_SameOutcomesAsWithTheSearch()
    {
        // Every branch with more than one leaf goes to ConsistentChoice (exists:false included), as a large event's would.
        var differ = ConformanceCases.All.Where(c => !c.Invalid && Run(c).Agrees != Run(c, backtrackingBudget: 0).Agrees)
            .Select(c => $"{c}\n  pattern {Truncate(c.Pattern)}\n  event   {Truncate(c.Event)}")
            .ToList();
        Assert.True(differ.Count == 0, string.Join("\n", differ));
    }

    [Fact]
    public void NumbersAndAddresses_EveryCase_AgreesWithEventRuler()
    {
        Assert.True(ConformanceCases.NumbersAndAddresses.Count > 100);
        var disagreements = ConformanceCases.NumbersAndAddresses
            .Select(@case => (@case, Outcome: Run(@case)))
            .Where(x => !x.Outcome.Agrees)
            .Select(x => $"{x.@case}: {x.Outcome.Detail}\n  pattern {x.@case.Pattern}\n  event   {x.@case.Event}")
            .ToList();
        Assert.True(disagreements.Count == 0, string.Join("\n", disagreements));
    }

    private static (bool Agrees, string Detail) Run(ConformanceCase @case, int backtrackingBudget = PatternMatcher.DefaultBacktrackingBudget)
    {
        if (!EventPattern.TryParse(@case.Pattern, out var pattern, out var error))
        {
            return (@case.Invalid, "refused: " + error.Message);
        }

        if (@case.Invalid)
        {
            return (false, "accepted a pattern event-ruler refuses");
        }

        var matcher = PatternMatcher.Compile([pattern], null, backtrackingBudget);
        var matches = new List<int>();
        if (!matcher.TryMatch(Encoding.UTF8.GetBytes(@case.Event!), matches, out var readError))
        {
            return (false, "event refused: " + readError.Message);
        }

        var matched = matches.Count == 1;
        return (matched == @case.Match, $"expected match={@case.Match}, got {matched}");
    }

    private static string Truncate(string? text) => text is null ? "(none)" : text.Length <= 300 ? text : text[..300] + "…";
}
