using System.Buffers;
using System.Text;
using System.Text.Json;

namespace RemediationWorker.Intake;

/// <summary>Moves through an event the intake has already checked (well-formed JSON, UTF-8, within its limits:
/// <see cref="EventIntakeCheck"/>) to read a few members: a value off the way is skipped by looking only at brackets
/// and string quotes, several times faster than tokenizing it. Not for unchecked input: it assumes the grammar
/// holds, and only stays within the bytes when it does not.</summary>
internal ref struct CheckedJsonCursor
{
    private static readonly SearchValues<byte> ScalarEnd = SearchValues.Create(",}] \t\r\n"u8);

    private readonly ReadOnlySpan<byte> _json;
    private int _at;
    private int _nameStart;
    private int _nameLength;
    private bool _nameEscaped;

    public CheckedJsonCursor(ReadOnlySpan<byte> json) => _json = json;

    /// <summary>Where the last member named <paramref name="utf8Name"/> can start at the latest: the last mention of
    /// the name in quotes, or -1 when there is none. The end when the name could be written otherwise: the event has
    /// <c>\u</c> escapes, or the name has a character JSON escapes or may escape (<c>"</c>, <c>\</c>, <c>/</c>,
    /// control characters). A reader looking for that name can stop once it is past this point.</summary>
    public static int LastMention(ReadOnlySpan<byte> json, ReadOnlySpan<byte> utf8Name)
    {
        if (utf8Name.IsEmpty || utf8Name.IndexOfAny("\"\\/"u8) >= 0 || utf8Name.IndexOfAnyInRange((byte)0, (byte)0x1F) >= 0
            || json.IndexOf("\\u"u8) >= 0)
        {
            return json.Length;
        }

        for (var end = json.Length; ;)
        {
            var at = json[..end].LastIndexOf(utf8Name);
            if (at < 1)
            {
                return -1;
            }

            if (json[at - 1] == (byte)'"' && at + utf8Name.Length < json.Length && json[at + utf8Name.Length] == (byte)'"')
            {
                return at - 1;
            }

            end = at + utf8Name.Length - 1;
        }
    }

    /// <summary>Where the next value starts (after <see cref="Peek"/>), or where the last one ended.</summary>
    public readonly int Position => _at;

    /// <summary>The first byte of the next value, whitespace skipped; 0 at the end.</summary>
    public byte Peek()
    {
        while (_at < _json.Length && _json[_at] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            _at++;
        }

        return _at < _json.Length ? _json[_at] : (byte)0;
    }

    /// <summary>Steps into the object or array the cursor is on.</summary>
    public bool TryEnter(byte open)
    {
        if (Peek() != open)
        {
            return false;
        }

        _at++;
        return true;
    }

    /// <summary>In an object entered: moves to the next member's value (its name then answers <see cref="NameIs"/>);
    /// false, past the <c>}</c>, when there is none.</summary>
    public bool NextMember()
    {
        if (Peek() == (byte)',')
        {
            _at++;
        }

        if (Peek() != (byte)'"')
        {
            _at = Math.Min(_at + 1, _json.Length);
            return false;
        }

        _nameStart = _at;
        SkipString();
        _nameLength = _at - _nameStart;
        _nameEscaped = _json.Slice(_nameStart, _nameLength).Contains((byte)'\\');
        Peek();
        _at = Math.Min(_at + 1, _json.Length); // the ':'
        return true;
    }

    /// <summary>In an array entered: whether another element follows (the cursor then on it); false past the <c>]</c>.</summary>
    public bool NextElement()
    {
        switch (Peek())
        {
            case (byte)',':
                _at++;
                return true;
            case (byte)']' or 0:
                _at = Math.Min(_at + 1, _json.Length);
                return false;
            default:
                return true;
        }
    }

    /// <summary>Whether the last member's name, unescaped, is <paramref name="utf8Name"/>.</summary>
    public readonly bool NameIs(ReadOnlySpan<byte> utf8Name)
    {
        var quoted = _json.Slice(_nameStart, _nameLength);
        if (quoted.Length < 2)
        {
            return false;
        }

        if (!_nameEscaped)
        {
            return quoted[1..^1].SequenceEqual(utf8Name);
        }

        try
        {
            var reader = new Utf8JsonReader(quoted);
            return reader.Read() && reader.ValueTextEquals(utf8Name);
        }
        catch (JsonException)
        {
            return false; // not a string: only on input the intake would have refused
        }
    }

    /// <summary>The string the cursor is on, unescaped; null (and skipped) when the value is not a string.</summary>
    public string? ReadString()
    {
        if (Peek() != (byte)'"')
        {
            SkipValue();
            return null;
        }

        var start = _at;
        SkipString();
        var quoted = _json[start.._at];
        if (quoted.Length < 2)
        {
            return null;
        }

        if (!quoted.Contains((byte)'\\'))
        {
            return Encoding.UTF8.GetString(quoted[1..^1]);
        }

        try
        {
            var reader = new Utf8JsonReader(quoted);
            return reader.Read() ? reader.GetString() : null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return null; // not a string: only on input the intake would have refused
        }
    }

    /// <summary>Moves past the value the cursor is on.</summary>
    public void SkipValue()
    {
        switch (Peek())
        {
            case (byte)'"':
                SkipString();
                break;
            case (byte)'{' or (byte)'[':
                SkipContainer();
                break;
            default:
                var end = _json[_at..].IndexOfAny(ScalarEnd);
                _at = end < 0 ? _json.Length : _at + end;
                break;
        }
    }

    /// <summary>From an opening bracket to past its closing one, byte by byte: in JSON the next quote or bracket is
    /// rarely more than a few bytes away, where a vectorized search costs more to start than it saves.</summary>
    private void SkipContainer()
    {
        var json = _json;
        var at = _at + 1;
        var depth = 1;
        while (at < json.Length)
        {
            switch (json[at++])
            {
                case (byte)'"':
                    while (at < json.Length && json[at] != (byte)'"')
                    {
                        at += json[at] == (byte)'\\' ? 2 : 1;
                    }

                    at++;
                    break;
                case (byte)'{' or (byte)'[':
                    depth++;
                    break;
                case (byte)'}' or (byte)']':
                    if (--depth == 0)
                    {
                        _at = at;
                        return;
                    }

                    break;
            }
        }

        _at = json.Length;
    }

    /// <summary>From an opening quote to past its closing one.</summary>
    private void SkipString()
    {
        var at = _at + 1;
        while (at < _json.Length && _json[at] != (byte)'"')
        {
            at += _json[at] == (byte)'\\' ? 2 : 1; // a backslash and the character it escapes
        }

        _at = Math.Min(at + 1, _json.Length);
    }
}
