using System.Globalization;
using EventPatterns.Parsing;

namespace EventPatterns.Matchers;

/// <summary>One event leaf being tested against a field's matchers. Reused for every leaf of every
/// event on a thread; a number's value is computed once per leaf, only when a matcher asks for it.</summary>
internal sealed class LeafValue
{
    private byte[] _bytes = new byte[256];
    private int _length;
    private double _double;
    private bool _doubleParsed;
    private bool _doubleValid;
    private bool? _comparable;

    public LeafKind Kind { get; private set; }

    /// <summary>UTF-8 text of a string (unescaped) or of a number (as written).</summary>
    public ReadOnlySpan<byte> Utf8 => _bytes.AsSpan(0, _length);

    public void Reset(LeafKind kind, ReadOnlySpan<byte> utf8)
    {
        Kind = kind;
        if (utf8.Length > _bytes.Length)
        {
            _bytes = new byte[Math.Max(utf8.Length, _bytes.Length * 2)];
        }

        utf8.CopyTo(_bytes);
        _length = utf8.Length;
        _doubleParsed = false;
        _comparable = null;
    }

    /// <summary>Space for the reader to unescape a string into; follow with <see cref="ResetUnescaped"/>.</summary>
    public Span<byte> RentBytes(int maxLength)
    {
        if (maxLength > _bytes.Length)
        {
            _bytes = new byte[Math.Max(maxLength, _bytes.Length * 2)];
        }

        return _bytes;
    }

    public void ResetUnescaped(int length)
    {
        Kind = LeafKind.String;
        _length = length;
        _doubleParsed = false;
        _comparable = null;
    }

    /// <summary>The number's value as a double (false when it is not a finite one); whether event-ruler
    /// compares it by value is <see cref="IsComparable"/>, a dearer question asked only when a match hinges on it.</summary>
    public bool TryGetDouble(out double value)
    {
        if (!_doubleParsed)
        {
            _doubleParsed = true;
            _doubleValid = Kind == LeafKind.Number
                && double.TryParse(Utf8, NumberStyles.Float, CultureInfo.InvariantCulture, out _double)
                && double.IsFinite(_double);
        }

        value = _double;
        return _doubleValid;
    }

    /// <summary>Whether the number is one event-ruler compares by value (<see cref="NumberText.IsComparable"/>).</summary>
    public bool IsComparable => _comparable ??= TryGetDouble(out _) && NumberText.IsComparable(Utf8, out _);
}
