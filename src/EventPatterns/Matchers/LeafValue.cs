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
    }

    /// <summary>The number's value when event-ruler compares it by value (<see cref="NumberText.IsComparable"/>);
    /// false for any other number and for every other kind of leaf.</summary>
    public bool TryGetComparable(out double value)
    {
        if (!_doubleParsed)
        {
            _doubleParsed = true;
            _doubleValid = Kind == LeafKind.Number && NumberText.IsComparable(Utf8, out _double);
        }

        value = _double;
        return _doubleValid;
    }
}
