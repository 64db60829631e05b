using System.Globalization;

namespace EventPatterns.Matchers;

/// <summary><c>numeric</c>: a number leaf within the bounds. Bounds and leaves are compared as doubles, and
/// only numbers event-ruler compares (<see cref="Parsing.NumberText.IsComparable"/>) take part: a bound
/// that is not one is refused, a leaf that is not one never matches.</summary>
internal sealed class NumericRangeMatcher(double lower, bool lowerInclusive, double upper, bool upperInclusive) : ValueMatcher
{
    public override string Key => string.Create(CultureInfo.InvariantCulture, $"r:{(lowerInclusive ? '[' : '(')}{lower:R},{upper:R}{(upperInclusive ? ']' : ')')}");

    public override bool Matches(LeafValue leaf)
    {
        if (leaf.Kind != LeafKind.Number || !leaf.TryGetDouble(out var value))
        {
            return false;
        }

        var aboveLower = lowerInclusive ? value >= lower : value > lower;
        var belowUpper = upperInclusive ? value <= upper : value < upper;
        return aboveLower && belowUpper && leaf.IsComparable;
    }
}
