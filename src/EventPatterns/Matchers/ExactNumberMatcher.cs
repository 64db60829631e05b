using System.Globalization;
using System.Text;

namespace EventPatterns.Matchers;

/// <summary>A number in the value list: equal by value, so 5 matches 5.0 and 5e0. Like event-ruler,
/// which standardises numbers to IEEE-754 doubles, two numbers are equal when their doubles are;
/// numbers beyond the double range are equal only when their decimal values are.</summary>
internal sealed class ExactNumberMatcher : ValueMatcher
{
    private readonly byte[] _canonical;
    private readonly double _value;
    private readonly bool _finite;

    public ExactNumberMatcher(byte[] canonical, string text)
    {
        _canonical = canonical;
        _finite = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _value) && double.IsFinite(_value);
    }

    public override string Key => _finite ? "n:" + _value.ToString("R", CultureInfo.InvariantCulture) : "N:" + Encoding.UTF8.GetString(_canonical);

    public override bool Matches(LeafValue leaf)
    {
        if (leaf.Kind != LeafKind.Number)
        {
            return false;
        }

        return _finite
            ? leaf.TryGetDouble(out var value) && value == _value
            : leaf.CanonicalNumber.SequenceEqual(_canonical);
    }
}
