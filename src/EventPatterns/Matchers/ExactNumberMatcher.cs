using System.Globalization;
using System.Text;
using EventPatterns.Parsing;

namespace EventPatterns.Matchers;

/// <summary>A number in the value list. As in event-ruler, a comparable number
/// (<see cref="NumberText.IsComparable"/>) matches every comparable number of the same value, so 5
/// matches 5.0 and 5e0; a number that is not comparable (12345678901234567890, 1e400) matches only
/// the same text.</summary>
internal sealed class ExactNumberMatcher : ValueMatcher
{
    private readonly byte[] _utf8;
    private readonly double _value;
    private readonly bool _comparable;

    public ExactNumberMatcher(string text)
    {
        _utf8 = Encoding.UTF8.GetBytes(text);
        _comparable = NumberText.IsComparable(_utf8, out _value);
    }

    /// <summary>Whether the number is compared by value; a <c>numeric</c> or <c>anything-but</c> value must be.</summary>
    public bool IsComparable => _comparable;

    public override string Key => _comparable ? "n:" + _value.ToString("R", CultureInfo.InvariantCulture) : "N:" + Encoding.UTF8.GetString(_utf8);

    public override bool Matches(LeafValue leaf)
    {
        if (leaf.Kind != LeafKind.Number)
        {
            return false;
        }

        // Equal doubles decide only when the leaf is comparable; the same text is the same number either way.
        if (_comparable)
        {
            return leaf.TryGetDouble(out var value) && value == _value && leaf.IsComparable;
        }

        return leaf.Utf8.SequenceEqual(_utf8);
    }
}
