using System.Buffers.Binary;

namespace EventPatterns.Matching;

/// <summary>The member names of the objects <see cref="EventReader"/> has open, to refuse a name given twice in one
/// object (<see cref="MatcherOptions.RejectDuplicateMembers"/>). Names are compared unescaped: unescaped ones stay
/// where they are in the event, escaped ones are copied. A small object is searched name by name (length and first
/// eight bytes first); from <see cref="SmallObject"/> members on, an object's names are also chained in a hash
/// table shared by the open objects, so a 1 MiB object costs linear time. Names are pushed and popped in stack
/// order, so a closing object unlinks its names from the heads of their chains and the table is empty between
/// events. Per-thread (held by <see cref="MatchScratch"/>): nothing is allocated once the arrays have grown.</summary>
internal sealed class MemberNames
{
    private const int SmallObject = 32;

    // Per name, in the order read: where it is (>= 0: in the event; < 0: ~offset in _copies), its length, its
    // first eight bytes, and for the names of a large object its hash and the next name in its chain.
    private int[] _start = new int[64];
    private int[] _length = new int[64];
    private ulong[] _prefix = new ulong[64];
    private int[] _hash = new int[64];
    private int[] _next = new int[64];
    private int _count;

    private byte[] _copies = new byte[256];
    private int _copiesLength;

    // Per open object: its first name, where its copied names start, and whether its names are in the table.
    private int[] _firstName = new int[16];
    private int[] _copiesAtOpen = new int[16];
    private bool[] _hashed = new bool[16];
    private int _depth;

    private int[] _heads = CreateHeads(64);

    /// <summary>Makes room in the hash table for the names an event of <paramref name="eventBytes"/> bytes can hold.
    /// Called between events, while the table is empty.</summary>
    public void Prepare(int eventBytes)
    {
        var wanted = (int)Math.Min(1 << 20, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(64, eventBytes / 16)));
        if (_heads.Length < wanted)
        {
            _heads = CreateHeads(wanted);
        }
    }

    /// <summary>An object was entered.</summary>
    public void Open()
    {
        if (_depth == _firstName.Length)
        {
            Array.Resize(ref _firstName, _depth * 2);
            Array.Resize(ref _copiesAtOpen, _depth * 2);
            Array.Resize(ref _hashed, _depth * 2);
        }

        _firstName[_depth] = _count;
        _copiesAtOpen[_depth] = _copiesLength;
        _hashed[_depth] = false;
        _depth++;
    }

    /// <summary>The innermost open object closed: its names are forgotten.</summary>
    public void Close()
    {
        _depth--;
        var first = _firstName[_depth];
        if (_hashed[_depth])
        {
            // Pushed last, so each is at the head of its chain.
            for (var i = _count - 1; i >= first; i--)
            {
                _heads[_hash[i] & (_heads.Length - 1)] = _next[i];
            }
        }

        _copiesLength = _copiesAtOpen[_depth];
        _count = first;
    }

    /// <summary>Forgets every open object (after an event was refused part-way).</summary>
    public void Reset()
    {
        while (_depth > 0)
        {
            Close();
        }
    }

    /// <summary>Adds a name of the innermost open object; false when the object already has it (the event is then
    /// refused, and <see cref="Reset"/> follows).</summary>
    /// <param name="json">The event.</param>
    /// <param name="start">Where the name's raw content starts in <paramref name="json"/>.</param>
    /// <param name="length">The raw content's length.</param>
    /// <param name="escaped">Whether the raw content holds escapes.</param>
    public bool Add(ReadOnlySpan<byte> json, int start, int length, bool escaped)
    {
        if (_count == _start.Length)
        {
            Grow();
        }

        var slot = _count;
        ReadOnlySpan<byte> name;
        if (escaped)
        {
            if (_copies.Length < _copiesLength + length)
            {
                Array.Resize(ref _copies, Math.Max(_copies.Length * 2, _copiesLength + length));
            }

            var unescaped = EventReader.Unescape(json.Slice(start, length), _copies.AsSpan(_copiesLength));
            name = _copies.AsSpan(_copiesLength, unescaped);
            _start[slot] = ~_copiesLength;
            _copiesLength += unescaped;
        }
        else
        {
            name = json.Slice(start, length);
            _start[slot] = start;
        }

        _length[slot] = name.Length;
        var prefix = Prefix(name);
        _prefix[slot] = prefix;

        var level = _depth - 1;
        var first = _firstName[level];
        if (slot - first < SmallObject)
        {
            for (var i = first; i < slot; i++)
            {
                if (_prefix[i] == prefix && _length[i] == name.Length && (name.Length <= 8 || NameAt(json, i).SequenceEqual(name)))
                {
                    return false;
                }
            }

            _count++;
            return true;
        }

        if (!_hashed[level])
        {
            _hashed[level] = true;
            for (var i = first; i < slot; i++)
            {
                Link(i, Hash(NameAt(json, i)));
            }
        }

        var hash = Hash(name);
        // Chains hold the newest names first, so the walk stops at the first name of an enclosing object.
        for (var i = _heads[hash & (_heads.Length - 1)]; i >= first; i = _next[i])
        {
            if (_hash[i] == hash && _length[i] == name.Length && NameAt(json, i).SequenceEqual(name))
            {
                return false;
            }
        }

        Link(slot, hash);
        _count++;
        return true;
    }

    private void Link(int slot, int hash)
    {
        ref var head = ref _heads[hash & (_heads.Length - 1)];
        _hash[slot] = hash;
        _next[slot] = head;
        head = slot;
    }

    private ReadOnlySpan<byte> NameAt(ReadOnlySpan<byte> json, int i)
        => _start[i] >= 0 ? json.Slice(_start[i], _length[i]) : _copies.AsSpan(~_start[i], _length[i]);

    private static ulong Prefix(ReadOnlySpan<byte> name)
    {
        if (name.Length >= 8)
        {
            return BinaryPrimitives.ReadUInt64LittleEndian(name);
        }

        ulong value = 0;
        for (var i = 0; i < name.Length; i++)
        {
            value |= (ulong)name[i] << (8 * i);
        }

        return value;
    }

    // Seeded per process (System.HashCode), so names cannot be chosen in advance to share a chain.
    private static int Hash(ReadOnlySpan<byte> name)
    {
        var hash = default(HashCode);
        hash.AddBytes(name);
        return hash.ToHashCode();
    }

    private void Grow()
    {
        var size = _start.Length * 2;
        Array.Resize(ref _start, size);
        Array.Resize(ref _length, size);
        Array.Resize(ref _prefix, size);
        Array.Resize(ref _hash, size);
        Array.Resize(ref _next, size);
    }

    private static int[] CreateHeads(int size)
    {
        var heads = new int[size];
        Array.Fill(heads, -1);
        return heads;
    }
}
