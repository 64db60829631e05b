using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace RemediationWorker.Intake;

/// <summary>The intake's rules, with the reason: valid UTF-8, well-formed JSON, no lone surrogate in any escape, no
/// member name twice in one object (RFC 8259 §4 leaves duplicates to the reader; here they are malformed, so the
/// matcher and the renderer can never see different values), and the <see cref="EventLimits"/>. Every input is held
/// to the same rules by the matcher's one walk (<see cref="EventIntakeCheck"/>); this reader is asked only about an
/// input that walk refused, to name the rule and where (and by <c>test-pattern</c>). A test holds the two to the
/// same verdicts. One forward pass over every token; no allocation once warm (per-thread scratch).</summary>
/// <remarks>Errors start with the rule's name (<c>invalid-utf8</c>, <c>lone-surrogate</c>, <c>duplicate-member</c>,
/// <c>too-large</c>, <c>too-deep</c>, <c>array-too-long</c>, <c>string-too-long</c>, <c>malformed-json</c>) and
/// name the member path where there is one.</remarks>
internal static class StrictJsonReader
{
    /// <summary>Whether <paramref name="error"/> is for a rule no plain JSON reader has (the pattern matcher included):
    /// a duplicate member, a lone surrogate, an array or string over its limit.</summary>
    public static bool IsIntakeOnlyRule(string error)
        => error.StartsWith("duplicate-member:", StringComparison.Ordinal) || error.StartsWith("lone-surrogate:", StringComparison.Ordinal)
           || error.StartsWith("array-too-long:", StringComparison.Ordinal) || error.StartsWith("string-too-long:", StringComparison.Ordinal);

    public static bool TryCheck(ReadOnlySpan<byte> utf8, EventLimits limits, [NotNullWhen(false)] out string? error)
    {
        if (utf8.Length > limits.MaxEventBytes)
        {
            error = EventFileReader.TooLarge(utf8.Length, limits.MaxEventBytes);
            return false;
        }

        if (!Utf8.IsValid(utf8))
        {
            error = string.Create(CultureInfo.InvariantCulture, $"invalid-utf8: the event is not valid UTF-8 (byte offset {FirstInvalidByte(utf8)})");
            return false;
        }

        var scratch = Scratch.Get(limits.MaxDepth);
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = limits.MaxDepth });
        try
        {
            error = Walk(ref reader, limits, scratch);
            return error is null;
        }
        catch (JsonException ex)
        {
            error = ex.Message.Contains("maximum configured depth", StringComparison.OrdinalIgnoreCase)
                ? string.Create(CultureInfo.InvariantCulture, $"too-deep: nested deeper than {limits.MaxDepth} levels")
                : $"malformed-json: {ex.Message}";
            return false;
        }
        catch (InvalidOperationException ex)
        {
            // Not expected once the escapes are checked; kept so that no reader exception leaves the intake.
            error = $"malformed-json: {ex.Message}";
            return false;
        }
        finally
        {
            scratch.Reset();
        }
    }

    private static string? Walk(ref Utf8JsonReader reader, EventLimits limits, Scratch scratch)
    {
        if (!reader.Read())
        {
            return "malformed-json: the body is empty";
        }

        do
        {
            var token = reader.TokenType;
            if (token is JsonTokenType.EndObject or JsonTokenType.EndArray)
            {
                scratch.Pop();
                continue;
            }

            if (token == JsonTokenType.PropertyName)
            {
                if (CheckString(ref reader, limits, scratch, isName: true) is { } nameError)
                {
                    return nameError;
                }

                if (!scratch.AddMember(ref reader))
                {
                    return $"duplicate-member: \"{scratch.LastName()}\" appears twice in {scratch.PathOfParent()}";
                }

                continue;
            }

            if (scratch.CountElement() > limits.MaxArrayLength)
            {
                return string.Create(CultureInfo.InvariantCulture, $"array-too-long: {scratch.PathOfParent()} has over {limits.MaxArrayLength} elements");
            }

            if (token == JsonTokenType.String && CheckString(ref reader, limits, scratch, isName: false) is { } stringError)
            {
                return stringError;
            }

            if (token is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                scratch.Push(token == JsonTokenType.StartArray);
            }
        }
        while (reader.Read());

        return null;
    }

    private static string? CheckString(ref Utf8JsonReader reader, EventLimits limits, Scratch scratch, bool isName)
    {
        var raw = reader.ValueSpan;
        if (raw.Length > limits.MaxStringLength)
        {
            return string.Create(CultureInfo.InvariantCulture, $"string-too-long: a {(isName ? "member name" : "string")} of {raw.Length} bytes at {(isName ? scratch.PathOfParent() : scratch.Path())}, the limit is {limits.MaxStringLength}");
        }

        return reader.ValueIsEscaped && !SurrogatesPaired(raw)
            ? $"lone-surrogate: a {(isName ? "member name" : "string")} at {(isName ? scratch.PathOfParent() : scratch.Path())} has a \\u escape of half a surrogate pair"
            : null;
    }

    /// <summary>Whether every <c>\uD800</c>–<c>\uDBFF</c> escape is followed by a <c>\uDC00</c>–<c>\uDFFF</c> one and
    /// every low half follows a high one. System.Text.Json accepts such text and throws only when it is read as a
    /// string (<see cref="InvalidOperationException"/>), so it is refused here, before anything reads it.</summary>
    internal static bool SurrogatesPaired(ReadOnlySpan<byte> escaped)
    {
        var lowExpectedAt = -1; // just after a high half: where its low half must start
        var i = escaped.IndexOf((byte)'\\');
        while (i >= 0 && i + 1 < escaped.Length)
        {
            if (lowExpectedAt >= 0 && i != lowExpectedAt)
            {
                return false;
            }

            var next = i + 2;
            var unit = -1;
            if (escaped[i + 1] == (byte)'u' && i + 6 <= escaped.Length && TryHex(escaped.Slice(i + 2, 4), out unit))
            {
                next = i + 6;
            }

            var isLow = unit is >= 0xDC00 and <= 0xDFFF;
            if (isLow != lowExpectedAt >= 0)
            {
                return false;
            }

            lowExpectedAt = unit is >= 0xD800 and <= 0xDBFF ? next : -1;
            var rest = escaped[next..].IndexOf((byte)'\\');
            i = rest < 0 ? -1 : next + rest;
        }

        return lowExpectedAt < 0;
    }

    private static bool TryHex(ReadOnlySpan<byte> digits, out int value)
        => int.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);

    private static int FirstInvalidByte(ReadOnlySpan<byte> utf8)
    {
        var offset = 0;
        while (offset < utf8.Length && Rune.DecodeFromUtf8(utf8[offset..], out _, out var consumed) == System.Buffers.OperationStatus.Done)
        {
            offset += consumed;
        }

        return offset;
    }

    /// <summary>Per-thread state of one walk: a frame per open object or array, and the member names of the open
    /// objects (to find a name twice: a linear look in small objects, a table from 32 members on).</summary>
    private sealed class Scratch
    {
        private const int SmallObject = 32;

        [ThreadStatic]
        private static Scratch? t_current;

        private readonly List<Dictionary<int, int>?> _tables = [];
        private Frame[] _frames = new Frame[66];
        private int _depth;
        private int[] _hashes = new int[64];
        private int[] _nameStarts = new int[64];
        private int[] _nameLengths = new int[64];
        private int _members;
        private byte[] _names = new byte[4096];
        private int _namesLength;
        private int _pendingLength;

        public static Scratch Get(int maxDepth)
        {
            var scratch = t_current ??= new Scratch();
            if (scratch._frames.Length < maxDepth + 2)
            {
                scratch._frames = new Frame[maxDepth + 2];
            }

            return scratch;
        }

        public void Reset()
        {
            while (_depth > 0)
            {
                Pop();
            }

            _members = 0;
            _namesLength = 0;
        }

        /// <summary>Counts a value in the open array (if the parent is one) and returns the count so far.</summary>
        public int CountElement()
        {
            ref var frame = ref _frames[_depth];
            return _depth > 0 && frame.IsArray ? ++frame.Count : 0;
        }

        public void Push(bool isArray)
        {
            _depth++;
            _frames[_depth] = new Frame { IsArray = isArray, FirstMember = _members, CurrentMember = -1 };
        }

        public void Pop()
        {
            ref var frame = ref _frames[_depth];
            if (!frame.IsArray)
            {
                if (frame.FirstMember < _members)
                {
                    _namesLength = _nameStarts[frame.FirstMember];
                }

                _members = frame.FirstMember;
                if (_depth < _tables.Count && _tables[_depth] is { Count: > 0 } table)
                {
                    table.Clear();
                }
            }

            _depth--;
        }

        /// <summary>Adds the member name the reader is on to the open object.</summary>
        /// <returns><see langword="false"/> when the object already has it (the name is then <see cref="LastName"/>).</returns>
        public bool AddMember(ref Utf8JsonReader reader)
        {
            var name = Append(ref reader);
            var hash = HashOf(name);
            ref var frame = ref _frames[_depth];
            var count = _members - frame.FirstMember;
            if (count >= SmallObject)
            {
                var table = TableAt(_depth);
                if (count == SmallObject)
                {
                    for (var i = frame.FirstMember; i < _members; i++)
                    {
                        table.TryAdd(_hashes[i], i);
                    }
                }

                if (!table.TryAdd(hash, _members) && Seen(frame.FirstMember, hash, name))
                {
                    return false;
                }
            }
            else if (Seen(frame.FirstMember, hash, name))
            {
                return false;
            }

            Grow();
            _hashes[_members] = hash;
            _nameStarts[_members] = _namesLength;
            _nameLengths[_members] = name.Length;
            _namesLength += name.Length;
            frame.CurrentMember = _members;
            _members++;
            return true;
        }

        /// <summary>The name <see cref="AddMember"/> refused (it is left just past the open object's names).</summary>
        public string LastName() => Bounded(_names.AsSpan(_namesLength, _pendingLength));

        /// <summary>The member path of the value the reader is on, as <c>detail.resources[2]</c>.</summary>
        public string Path() => PathTo(_depth, includeLast: true);

        /// <summary>The path of the open object or array.</summary>
        public string PathOfParent() => _depth <= 1 ? "the event" : PathTo(_depth, includeLast: false);

        private string PathTo(int depth, bool includeLast)
        {
            var path = new StringBuilder();
            for (var d = 1; d <= depth; d++)
            {
                var frame = _frames[d];
                var last = d == depth;
                if (last && !includeLast && d > 1)
                {
                    break;
                }

                if (frame.IsArray)
                {
                    path.Append(CultureInfo.InvariantCulture, $"[{Math.Max(frame.Count - 1, 0)}]");
                }
                else if (frame.CurrentMember >= 0)
                {
                    path.Append(path.Length > 0 ? "." : string.Empty)
                        .Append(Bounded(_names.AsSpan(_nameStarts[frame.CurrentMember], _nameLengths[frame.CurrentMember])));
                }
            }

            return path.Length == 0 ? "the event" : path.ToString();
        }

        /// <summary>A name for an error message: at most 64 characters of it.</summary>
        private static string Bounded(ReadOnlySpan<byte> name)
            => name.Length <= 64 ? Encoding.UTF8.GetString(name) : Encoding.UTF8.GetString(name[..64]) + "…";

        private static int HashOf(ReadOnlySpan<byte> name)
        {
            var hash = default(HashCode);
            hash.AddBytes(name);
            return hash.ToHashCode();
        }

        private bool Seen(int first, int hash, ReadOnlySpan<byte> name)
        {
            for (var i = first; i < _members; i++)
            {
                if (_hashes[i] == hash && _names.AsSpan(_nameStarts[i], _nameLengths[i]).SequenceEqual(name))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Copies the name (unescaped) after the names of the open objects.</summary>
        private ReadOnlySpan<byte> Append(ref Utf8JsonReader reader)
        {
            var needed = _namesLength + reader.ValueSpan.Length;
            if (_names.Length < needed)
            {
                Array.Resize(ref _names, Math.Max(needed, _names.Length * 2));
            }

            var destination = _names.AsSpan(_namesLength);
            int length;
            if (reader.ValueIsEscaped)
            {
                length = reader.CopyString(destination);
            }
            else
            {
                reader.ValueSpan.CopyTo(destination);
                length = reader.ValueSpan.Length;
            }

            _pendingLength = length;
            return destination[..length];
        }

        private Dictionary<int, int> TableAt(int depth)
        {
            while (_tables.Count <= depth)
            {
                _tables.Add(null);
            }

            return _tables[depth] ??= [];
        }

        private void Grow()
        {
            if (_members < _hashes.Length)
            {
                return;
            }

            var size = _hashes.Length * 2;
            Array.Resize(ref _hashes, size);
            Array.Resize(ref _nameStarts, size);
            Array.Resize(ref _nameLengths, size);
        }

        private struct Frame
        {
            public bool IsArray;
            public int Count;
            public int FirstMember;
            public int CurrentMember;
        }
    }
}
