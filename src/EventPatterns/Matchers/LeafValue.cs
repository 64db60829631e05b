using System.Globalization;
using EventPatterns.Parsing;

namespace EventPatterns.Matchers;

/// <summary>One event leaf being tested against a field's matchers. Reused for every leaf of every
/// event on a thread; derived forms (chars, double, canonical number) are computed once per leaf,
/// only when a matcher asks for them.</summary>
internal sealed class LeafValue
{
    private byte[] _bytes = new byte[256];
    private byte[] _canonical = new byte[64];
    private int _length;
    private int _canonicalLength = -2;
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
        _canonicalLength = -2;
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
        _canonicalLength = -2;
        _doubleParsed = false;
    }


    /// <summary>The number as a double, for range comparisons; false when it is not a finite double.</summary>
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

    /// <summary>The number in canonical decimal form, so that 5, 5.0 and 5e0 compare equal.</summary>
    public ReadOnlySpan<byte> CanonicalNumber
    {
        get
        {
            if (_canonicalLength == -2)
            {
                var needed = NumberText.MaxCanonicalLength(_length);
                if (needed > _canonical.Length)
                {
                    _canonical = new byte[needed];
                }

                _canonicalLength = Kind == LeafKind.Number && NumberText.TryCanonicalize(Utf8, _canonical, out var written) ? written : -1;
            }

            return _canonicalLength < 0 ? default : _canonical.AsSpan(0, _canonicalLength);
        }
    }
}
