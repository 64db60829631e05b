using System.Globalization;

namespace EventPatterns.Matchers;

/// <summary><c>numeric</c>: a number leaf within the bounds. Bounds are doubles (EventBridge compares
/// with 15 significant digits); <c>=</c> is handled by <see cref="ExactNumberMatcher"/> semantics.</summary>
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
        return aboveLower && belowUpper;
    }
}
