using System.Diagnostics.CodeAnalysis;
using EventPatterns;

namespace RemediationWorker.Intake;

/// <summary>What every input goes through before a decision, whatever its source: one walk of its bytes by the pattern
/// matcher, compiled with <see cref="EventLimits.ToMatcherOptions"/>, which checks every intake rule (UTF-8, JSON,
/// no member name twice, no lone surrogate, size, depth, array and string lengths; the parts no pattern reads
/// included) while it matches, then the envelope from the top level only (<see cref="EventEnvelopeParser"/>, which
/// stops at <c>detail</c>). Only an input the walk refuses is read again, by <see cref="StrictJsonReader"/>, to name
/// the rule and where it is broken.</summary>
internal static class EventIntakeCheck
{
    /// <param name="matcher">Compiled with <paramref name="limits"/>' <see cref="EventLimits.ToMatcherOptions"/>.</param>
    /// <param name="matches">Receives the indices of the matching patterns when the input is an event.</param>
    /// <param name="values">When given, receives where the values of the fields the patterns test are (for a
    /// <c>no-match</c> reason without a second read).</param>
    public static bool TryRead(
        ReadOnlySpan<byte> utf8,
        PatternMatcher matcher,
        EventLimits limits,
        List<int> matches,
        FieldValues? values,
        [NotNullWhen(true)] out EventEnvelope? envelope,
        [NotNullWhen(false)] out string? error)
    {
        if (matcher.TryMatch(utf8, matches, values, out var matchError))
        {
            return EventEnvelopeParser.TryParse(utf8, limits.MaxDepth, out envelope, out error);
        }

        envelope = null;
        // Refused: the strict reader names the rule broken and where. Well-formed JSON that is not an object passes
        // it, and the envelope parser says so in its own words.
        if (!StrictJsonReader.TryCheck(utf8, limits, out error) || !EventEnvelopeParser.TryParse(utf8, limits.MaxDepth, out _, out error))
        {
            return false;
        }

        error = matchError.Code == PatternErrorCode.EventTooDeep ? $"nested deeper than {limits.MaxDepth} levels" : matchError.Message;
        return false;
    }
}
