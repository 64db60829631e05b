using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace EventPatterns.Matching;

/// <summary>A strict JSON reader over an event's UTF-8 bytes (RFC 8259: no comments, no trailing commas,
/// at most <c>maxDepth</c> nested objects and arrays), built for the matcher: the parts no pattern reads
/// are skipped byte by byte without producing tokens, yet still checked, so a malformed event is refused
/// wherever its fault is. The <see cref="MatcherOptions"/> rules beyond JSON's (member names given twice, lone
/// surrogate escapes, array and string lengths) are checked in the same walk, skipped parts included. The caller
/// has checked that the bytes are UTF-8.</summary>
internal ref struct EventReader
{
    private static readonly SearchValues<byte> StringSpecials = SearchValues.Create(StringSpecialBytes());

    private readonly ReadOnlySpan<byte> _json;
    private readonly int _maxDepth;
    private readonly int _maxArrayLength;
    private readonly int _maxStringLength;
    private readonly bool _rejectLoneSurrogates;
    private readonly MemberNames? _names;
    private readonly Span<ulong> _objects;
    private readonly Span<int> _elements;
    private int _position;

    /// <param name="json">The event.</param>
    /// <param name="options">The bounds and rules to hold the event to.</param>
    /// <param name="objects">A bit per nesting level (<see cref="ObjectsWords"/>), for <see cref="SkipValue"/> to
    /// remember which open containers are objects.</param>
    /// <param name="elements">A count per nesting level (<c>MaxDepth</c> + 1), for <see cref="SkipValue"/> to count
    /// the elements of open arrays.</param>
    /// <param name="names">The open objects' member names, when <see cref="MatcherOptions.RejectDuplicateMembers"/>.</param>
    public EventReader(ReadOnlySpan<byte> json, MatcherOptions options, Span<ulong> objects, Span<int> elements, MemberNames? names)
    {
        _json = json;
        _maxDepth = options.MaxDepth;
        _maxArrayLength = options.MaxArrayLength;
        _maxStringLength = options.MaxStringLength;
        _rejectLoneSurrogates = options.RejectLoneSurrogates;
        _names = names;
        _objects = objects;
        _elements = elements;
        _position = 0;
    }

    /// <summary>Words of bits the <c>objects</c> span needs for <paramref name="maxDepth"/> levels.</summary>
    public static int ObjectsWords(int maxDepth) => (maxDepth / 64) + 1;

    /// <summary>The index of the next byte to read (after <see cref="Peek"/>: the first byte of the next value).</summary>
    public readonly int Position => _position;

    /// <summary>Nesting of the container being read: 1 inside the event object.</summary>
    public int Depth { get; private set; }

    /// <summary>The next byte after whitespace, or 0 at the end.</summary>
    public byte Peek()
    {
        // Compact JSON has no whitespace between tokens: test for none before looping.
        var position = _position;
        if ((uint)position < (uint)_json.Length && _json[position] > (byte)' ')
        {
            return _json[position];
        }

        SkipWhitespace();
        return _position < _json.Length ? _json[_position] : (byte)0;
    }

    /// <summary>Consumes the byte <see cref="Peek"/> returned.</summary>
    public void Advance() => _position++;

    public void Expect(byte expected)
    {
        if (Peek() != expected)
        {
            throw Malformed($"expected '{(char)expected}'");
        }

        _position++;
    }

    /// <summary>Consumes <c>{</c> or <c>[</c> (already peeked), counting the depth.</summary>
    public void Enter()
    {
        if (++Depth > _maxDepth)
        {
            throw new MalformedEventException(PatternErrorCode.EventTooDeep,
                $"event is nested deeper than {_maxDepth} levels (byte {_position})");
        }

        if (_names is not null && _json[_position] == (byte)'{')
        {
            _names.Open();
        }

        _position++;
    }

    /// <summary>Counts the element just started in an array, the first being 1.</summary>
    public readonly void CountElement(int count)
    {
        if (count > _maxArrayLength)
        {
            throw new MalformedEventException(PatternErrorCode.EventArrayTooLong,
                $"event has an array of more than {_maxArrayLength} elements (byte {_position})");
        }
    }

    /// <summary>After a member or element: true for a comma (another follows), false for the closing byte.</summary>
    public bool NextOrClose(byte close)
    {
        var b = Peek();
        if (b == (byte)',')
        {
            _position++;
            return true;
        }

        if (b != close)
        {
            throw Malformed($"expected ',' or '{(char)close}'");
        }

        Close(close);
        return false;
    }

    /// <summary>True (and consumed) when the container just entered closes at once: <c>{}</c> or <c>[]</c>.</summary>
    public bool CloseIfEmpty(byte close)
    {
        if (Peek() != close)
        {
            return false;
        }

        Close(close);
        return true;
    }

    private void Close(byte close)
    {
        _position++;
        Depth--;
        if (close == (byte)'}')
        {
            _names?.Close();
        }
    }

    /// <summary>Reads a member's name (see <see cref="ReadString"/>) and the colon after it.</summary>
    public ReadOnlySpan<byte> ReadPropertyName(out bool escaped)
    {
        if (Peek() != (byte)'"')
        {
            throw Malformed("expected a property name");
        }

        var start = _position + 1;
        var name = ReadString(out escaped);
        if (_names is not null && !_names.Add(_json, start, name.Length, escaped))
        {
            throw new MalformedEventException(PatternErrorCode.EventDuplicateMember,
                $"event has a member name twice in one object (byte {start - 1})");
        }

        Expect((byte)':');
        return name;
    }

    /// <summary>Reads a string (its opening quote peeked) and returns its raw content between the quotes;
    /// <paramref name="escaped"/> says whether it holds escapes (see <see cref="Unescape"/>).</summary>
    public ReadOnlySpan<byte> ReadString(out bool escaped)
    {
        var start = ++_position;
        escaped = false;
        // Most strings in events are short: a plain loop finds their end before a vectorized search would start.
        var json = _json;
        var end = Math.Min(json.Length, start + 24);
        for (var i = start; i < end; i++)
        {
            var c = json[i];
            if (c == (byte)'"')
            {
                _position = i + 1;
                CheckLength(i - start);
                return json[start..i];
            }

            if (c == (byte)'\\' || c < 0x20)
            {
                _position = i;
                break;
            }

            _position = i + 1;
        }

        var lowHalfAt = -1; // just after a \u escape of a high surrogate: where the low half's escape must be
        while (true)
        {
            var offset = _json[_position..].IndexOfAny(StringSpecials);
            if (offset < 0)
            {
                throw Malformed("unterminated string");
            }

            _position += offset;
            var b = _json[_position];
            if (lowHalfAt >= 0 && (_position != lowHalfAt || b != (byte)'\\'))
            {
                throw LoneSurrogate();
            }

            if (b == (byte)'"')
            {
                CheckLength(_position - start);
                return _json[start..(_position++)];
            }

            if (b < 0x20)
            {
                throw Malformed("control character in a string");
            }

            escaped = true;
            var unit = SkipEscape();
            if (_rejectLoneSurrogates)
            {
                var isLow = unit is >= 0xDC00 and <= 0xDFFF;
                if (isLow != lowHalfAt >= 0)
                {
                    throw LoneSurrogate();
                }

                lowHalfAt = unit is >= 0xD800 and <= 0xDBFF ? _position : -1;
            }
        }
    }

    /// <summary>Reads a number (its first byte peeked) and returns its text, checked against JSON's grammar.</summary>
    public ReadOnlySpan<byte> ReadNumber()
    {
        var start = _position;
        SkipNumber();
        return _json[start.._position];
    }

    public void ReadLiteral(ReadOnlySpan<byte> literal)
    {
        if (!_json[_position..].StartsWith(literal))
        {
            throw Malformed("unknown literal");
        }

        _position += literal.Length;
    }

    /// <summary>Skips one value (its first byte peeked), checking it, without producing anything.</summary>
    public void SkipValue()
    {
        var floor = Depth;
        // One bit per open container below the floor: set for an object, whose members need keys.
        var objects = _objects;
        var expectKey = false;
        while (true)
        {
            var b = Peek();
            if (expectKey)
            {
                ReadPropertyName(out _);
                b = Peek();
                expectKey = false;
            }

            switch (b)
            {
                case (byte)'{':
                case (byte)'[':
                    Enter();
                    var level = Depth - floor - 1;
                    var isObject = b == (byte)'{';
                    if (isObject)
                    {
                        objects[level / 64] |= 1UL << (level % 64);
                    }
                    else
                    {
                        objects[level / 64] &= ~(1UL << (level % 64));
                        _elements[level] = 1;
                    }

                    if (CloseIfEmpty(isObject ? (byte)'}' : (byte)']'))
                    {
                        break;
                    }

                    if (!isObject)
                    {
                        CountElement(1);
                    }

                    expectKey = isObject;
                    continue;
                case (byte)'"':
                    ReadString(out _);
                    break;
                case (byte)'t':
                    ReadLiteral("true"u8);
                    break;
                case (byte)'f':
                    ReadLiteral("false"u8);
                    break;
                case (byte)'n':
                    ReadLiteral("null"u8);
                    break;
                default:
                    SkipNumber();
                    break;
            }

            // A value is done: close containers until one has a next member or element.
            while (Depth > floor)
            {
                var level = Depth - floor - 1;
                var inObject = (objects[level / 64] & (1UL << (level % 64))) != 0;
                if (NextOrClose(inObject ? (byte)'}' : (byte)']'))
                {
                    if (!inObject)
                    {
                        CountElement(++_elements[level]);
                    }

                    expectKey = inObject;
                    break;
                }
            }

            if (Depth == floor)
            {
                return;
            }
        }
    }

    /// <summary>Checks that nothing but whitespace follows the event.</summary>
    public void ExpectEnd()
    {
        if (Peek() != 0 || _position < _json.Length)
        {
            throw Malformed("unexpected content after the event");
        }
    }

    /// <summary>Writes the unescaped UTF-8 of a string's raw content into <paramref name="destination"/>
    /// (at least as long as the content) and returns its length. A \u escape that is half of a surrogate
    /// pair without the other half becomes U+FFFD.</summary>
    public static int Unescape(ReadOnlySpan<byte> raw, Span<byte> destination)
    {
        var written = 0;
        var i = 0;
        while (i < raw.Length)
        {
            var backslash = raw[i..].IndexOf((byte)'\\');
            var run = backslash < 0 ? raw.Length - i : backslash;
            raw.Slice(i, run).CopyTo(destination[written..]);
            written += run;
            i += run;
            if (backslash < 0)
            {
                break;
            }

            var e = raw[i + 1];
            i += 2;
            if (e != (byte)'u')
            {
                destination[written++] = e switch
                {
                    (byte)'b' => (byte)'\b',
                    (byte)'f' => (byte)'\f',
                    (byte)'n' => (byte)'\n',
                    (byte)'r' => (byte)'\r',
                    (byte)'t' => (byte)'\t',
                    _ => e,
                };
                continue;
            }

            int code = Hex4(raw.Slice(i, 4));
            i += 4;
            if (char.IsHighSurrogate((char)code) && i + 6 <= raw.Length && raw[i] == (byte)'\\' && raw[i + 1] == (byte)'u'
                && char.IsLowSurrogate((char)Hex4(raw.Slice(i + 2, 4))))
            {
                code = char.ConvertToUtf32((char)code, (char)Hex4(raw.Slice(i + 2, 4)));
                i += 6;
            }
            else if (char.IsSurrogate((char)code))
            {
                code = 0xFFFD;
            }

            // Six escape bytes always hold room for the at most four bytes of one code point.
            written += new Rune(code).EncodeToUtf8(destination[written..]);
        }

        return written;
    }

    // The reader checked the four digits, so the parse cannot fail.
    private static int Hex4(ReadOnlySpan<byte> hex) => Utf8Parser.TryParse(hex, out ushort value, out _, 'X') ? value : 0xFFFD;

    /// <returns>The UTF-16 code unit of a <c>\u</c> escape, or -1 for another escape.</returns>
    private int SkipEscape()
    {
        // At a backslash; the bytes after it were not yet checked.
        if (_position + 1 >= _json.Length)
        {
            throw Malformed("unterminated string");
        }

        var e = _json[_position + 1];
        if (e == (byte)'u')
        {
            if (_position + 6 > _json.Length)
            {
                throw Malformed("unterminated string");
            }

            var unit = 0;
            foreach (var h in _json.Slice(_position + 2, 4))
            {
                if (!char.IsAsciiHexDigit((char)h))
                {
                    throw Malformed("invalid \\u escape");
                }

                unit = (unit << 4) | HexDigit(h);
            }

            _position += 6;
            return unit;
        }

        if (e is not ((byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t'))
        {
            throw Malformed("invalid escape");
        }

        _position += 2;
        return -1;
    }

    private static int HexDigit(byte h) => h <= (byte)'9' ? h - '0' : (h | 0x20) - 'a' + 10;

    private readonly void CheckLength(int length)
    {
        if (length > _maxStringLength)
        {
            throw new MalformedEventException(PatternErrorCode.EventStringTooLong,
                $"event has a string of {length} bytes, over the limit of {_maxStringLength} (byte {_position})");
        }
    }

    private readonly MalformedEventException LoneSurrogate()
        => new(PatternErrorCode.EventLoneSurrogate, $"event has a \\u escape of half a surrogate pair (byte {_position})");

    private void SkipNumber()
    {
        var json = _json;
        var i = _position;
        if (i < json.Length && json[i] == (byte)'-')
        {
            i++;
        }

        if (i < json.Length && json[i] == (byte)'0')
        {
            i++;
        }
        else if (i < json.Length && json[i] is >= (byte)'1' and <= (byte)'9')
        {
            i = Digits(json, i + 1);
        }
        else
        {
            _position = i;
            throw Malformed("invalid value");
        }

        if (i < json.Length && json[i] == (byte)'.')
        {
            var start = ++i;
            i = Digits(json, i);
            if (i == start)
            {
                _position = i;
                throw Malformed("invalid number");
            }
        }

        if (i < json.Length && json[i] is (byte)'e' or (byte)'E')
        {
            i++;
            if (i < json.Length && json[i] is (byte)'+' or (byte)'-')
            {
                i++;
            }

            var start = i;
            i = Digits(json, i);
            if (i == start)
            {
                _position = i;
                throw Malformed("invalid number");
            }
        }

        _position = i;
    }

    private static int Digits(ReadOnlySpan<byte> json, int i)
    {
        while (i < json.Length && json[i] - (uint)'0' <= 9)
        {
            i++;
        }

        return i;
    }

    private void SkipWhitespace()
    {
        var json = _json;
        var i = _position;
        while (i < json.Length && json[i] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
        {
            i++;
        }

        _position = i;
    }

    private readonly MalformedEventException Malformed(string problem)
        => new(PatternErrorCode.EventNotJson, $"event is not valid JSON: {problem} at byte {_position}");

    private static byte[] StringSpecialBytes()
    {
        var bytes = new List<byte> { (byte)'"', (byte)'\\' };
        for (var b = 0; b < 0x20; b++)
        {
            bytes.Add((byte)b);
        }

        return [.. bytes];
    }
}

/// <summary>Thrown by <see cref="EventReader"/> for an event it refuses; <c>PatternMatcher.TryMatch</c>
/// turns it into its error.</summary>
internal sealed class MalformedEventException(PatternErrorCode code, string message) : Exception(message)
{
    public PatternErrorCode Code { get; } = code;
}
