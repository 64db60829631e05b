using EventPatterns.Matchers;

namespace EventPatterns.Matching;

/// <summary>Per-thread working memory for reading one event: the leaves kept, their array
/// membership and matcher bits. Reused across events so that steady-state matching allocates nothing.</summary>
internal sealed class MatchScratch
{
    [ThreadStatic]
    private static MatchScratch? _current;

    public LeafValue Leaf { get; } = new();

    /// <summary>Where this call notes the fields' values, if anywhere (<see cref="FieldValues"/>).</summary>
    public FieldValues? Values { get; set; }

    // Leaves kept for this event, as parallel arrays.
    public int[] LeafField = new int[64];
    public int[] LeafMemberStart = new int[64];
    public int[] LeafMemberCount = new int[64];
    public int[] LeafBitsStart = new int[64];
    public int[] LeafNext = new int[64];
    public int LeafCount;

    /// <summary>Matcher results of every leaf, <see cref="CompiledField.Words"/> words each.</summary>
    public ulong[] Bits = new ulong[64];
    public int BitsCount;

    /// <summary>Array membership of every leaf: (array id, element index) pairs, outermost first.</summary>
    public int[] Members = new int[128];
    public int MembersCount;

    /// <summary>The arrays enclosing the reader's position: (array id, element index) pairs.</summary>
    public int[] ArrayStack = new int[32];
    public int ArrayDepth;
    public int MaxArrayDepth;
    public int NextArrayId;

    /// <summary>First kept leaf of each field (linked through <see cref="LeafNext"/>), or -1.</summary>
    public int[] FieldHead = [];
    public int[] Touched = new int[16];
    public int TouchedCount;

    /// <summary>Leaf chosen for each condition of the branch being solved (-1: absent).</summary>
    public int[] Chosen = new int[16];

    /// <summary>Steps the backtracking search may still take before <see cref="Choice"/> decides instead.</summary>
    public int Budget;

    public ConsistentChoice Choice { get; } = new();

    private byte[] _keyBuffer = new byte[256];
    private ulong[] _objectBits = new ulong[2];
    private int[] _elementCounts = new int[66];

    /// <summary>The open objects' member names, for <see cref="MatcherOptions.RejectDuplicateMembers"/>.</summary>
    public MemberNames Names { get; } = new();

    /// <summary>The reader's element counts for open arrays, one per level.</summary>
    public Span<int> ElementCounts(int maxDepth)
    {
        if (maxDepth + 1 > _elementCounts.Length)
        {
            _elementCounts = new int[maxDepth + 1];
        }

        return _elementCounts.AsSpan(0, maxDepth + 1);
    }

    /// <summary>The reader's bits for open containers (<see cref="EventReader.ObjectsWords"/>).</summary>
    public Span<ulong> ObjectBits(int words)
    {
        if (words > _objectBits.Length)
        {
            _objectBits = new ulong[words];
        }

        return _objectBits.AsSpan(0, words);
    }

    /// <summary>Room to unescape a key of <paramref name="length"/> raw bytes into.</summary>
    public Span<byte> KeyBuffer(int length)
    {
        if (length > _keyBuffer.Length)
        {
            _keyBuffer = new byte[Math.Max(length, _keyBuffer.Length * 2)];
        }

        return _keyBuffer;
    }

    /// <summary>Per field that <see cref="CompiledField.AloneInEveryBranch"/>: the matchers that accepted a leaf
    /// in this event.</summary>
    public ulong[] Accepted = [];

    public static MatchScratch Get(int fieldCount, int maxConditions, int acceptedWords)
    {
        var scratch = _current ??= new MatchScratch();
        if (scratch.Accepted.Length < acceptedWords)
        {
            scratch.Accepted = new ulong[acceptedWords];
        }

        if (scratch.FieldHead.Length < fieldCount)
        {
            scratch.FieldHead = new int[fieldCount];
            Array.Fill(scratch.FieldHead, -1);
        }

        if (scratch.Chosen.Length < maxConditions)
        {
            scratch.Chosen = new int[maxConditions];
        }

        return scratch;
    }

    public void Reset()
    {
        for (var i = 0; i < TouchedCount; i++)
        {
            FieldHead[Touched[i]] = -1;
        }

        TouchedCount = 0;
        Names.Reset();
        Array.Clear(Accepted);
        LeafCount = 0;
        BitsCount = 0;
        MembersCount = 0;
        ArrayDepth = 0;
        MaxArrayDepth = 0;
        NextArrayId = 0;
    }

    public int AddLeaf(int fieldId, int words)
    {
        if (LeafCount == LeafField.Length)
        {
            var size = LeafCount * 2;
            Array.Resize(ref LeafField, size);
            Array.Resize(ref LeafMemberStart, size);
            Array.Resize(ref LeafMemberCount, size);
            Array.Resize(ref LeafBitsStart, size);
            Array.Resize(ref LeafNext, size);
        }

        if (BitsCount + words > Bits.Length)
        {
            Array.Resize(ref Bits, Math.Max(Bits.Length * 2, BitsCount + words));
        }

        var members = ArrayDepth * 2;
        if (MembersCount + members > Members.Length)
        {
            Array.Resize(ref Members, Math.Max(Members.Length * 2, MembersCount + members));
        }

        var leaf = LeafCount++;
        LeafField[leaf] = fieldId;
        LeafBitsStart[leaf] = BitsCount;
        Bits.AsSpan(BitsCount, words).Clear();
        BitsCount += words;
        LeafMemberStart[leaf] = MembersCount;
        LeafMemberCount[leaf] = ArrayDepth;
        ArrayStack.AsSpan(0, members).CopyTo(Members.AsSpan(MembersCount));
        MembersCount += members;
        return leaf;
    }

    /// <summary>Keeps a leaf whose bits are set: links it into its field's list.</summary>
    public void Keep(int leaf)
    {
        var field = LeafField[leaf];
        if (FieldHead[field] < 0)
        {
            if (TouchedCount == Touched.Length)
            {
                Array.Resize(ref Touched, TouchedCount * 2);
            }

            Touched[TouchedCount++] = field;
        }

        LeafNext[leaf] = FieldHead[field];
        FieldHead[field] = leaf;
    }

    /// <summary>Drops the leaf just added (no matcher accepted it and no absence check needs it).</summary>
    public void DropLast(int words)
    {
        LeafCount--;
        BitsCount -= words;
        MembersCount -= LeafMemberCount[LeafCount] * 2;
    }

    public void PushArray()
    {
        if ((ArrayDepth * 2) + 2 > ArrayStack.Length)
        {
            Array.Resize(ref ArrayStack, ArrayStack.Length * 2);
        }

        ArrayStack[ArrayDepth * 2] = NextArrayId++;
        ArrayStack[(ArrayDepth * 2) + 1] = 0;
        ArrayDepth++;
        MaxArrayDepth = Math.Max(MaxArrayDepth, ArrayDepth);
    }

    public void NextElement() => ArrayStack[(ArrayDepth * 2) - 1]++;

    public void PopArray() => ArrayDepth--;

    /// <summary>Two leaves are consistent unless they sit in different elements of one array.
    /// Membership chains run from the root, so they share arrays only as a common prefix.</summary>
    public bool Consistent(int a, int b)
    {
        var count = Math.Min(LeafMemberCount[a], LeafMemberCount[b]);
        var pa = LeafMemberStart[a];
        var pb = LeafMemberStart[b];
        for (var i = 0; i < count; i++, pa += 2, pb += 2)
        {
            if (Members[pa] != Members[pb])
            {
                return true;
            }

            if (Members[pa + 1] != Members[pb + 1])
            {
                return false;
            }
        }

        return true;
    }
}
