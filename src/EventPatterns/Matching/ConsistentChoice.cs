namespace EventPatterns.Matching;

/// <summary>Decides in one pass over the leaves, in document order, whether a branch's conditions can each take a
/// leaf with no two from different elements of one array, or (for <c>exists: false</c>) be absent: no leaf of
/// theirs consistent with the leaves taken by the conditions before them in name order. The backtracking search
/// in <see cref="PatternMatcher"/> answers most events at once but is quadratic when, say, two fields sit in
/// alternate elements of a large array; this answers the same question in time linear in the leaves (after a
/// sort), so that no event costs more than a bounded amount.</summary>
/// <remarks>
/// Leaves and arrays form a tree: an element holds leaves and arrays, an array holds elements. A set of
/// leaves is pairwise consistent exactly when it uses at most one element of each array. So for each
/// element, the sets of conditions its subtree can satisfy are: the conditions of its own leaves (all
/// consistent with each other), joined with one choice from each array inside it, where an array offers
/// what any one of its elements offers (or nothing). Only maximal sets are kept; with up to 6 conditions
/// there are at most 20 of them, and past <see cref="MaxSets"/> the caller falls back to backtracking.
/// <para>With absences (at most 32 conditions) a set also says which absent-allowed conditions have every leaf in
/// the subtree blocked, that is in another element of an array than a taken leaf of a condition before them. An
/// element blocks a condition when none of its own leaves is the condition's and each array inside it blocks it;
/// an array whose offered element holds a taken leaf of a condition before it blocks what that element blocks,
/// otherwise (or taking nothing) only a condition with no leaf in the array at all. Taking more leaves never blocks
/// less, so keeping the maximal (taken, blocked) pairs stays exact.</para>
/// </remarks>
internal sealed class ConsistentChoice
{
    /// <summary>Most maximal condition sets kept for one element or array.</summary>
    public const int MaxSets = 64;

    /// <summary>Most conditions of a branch with absences: a set holds the taken ones in its low half and the
    /// blocked ones in its high half.</summary>
    public const int MaxConditionsWithAbsence = 32;

    private const ulong Low = 0xFFFF_FFFF;

    private Frame[] _frames = [];
    private int[] _leaves = new int[64];
    private ulong[] _bits = new ulong[64];
    private ulong[] _absentBits = new ulong[64];
    private int[] _order = new int[64];
    private readonly ulong[] _product = new ulong[MaxSets];

    /// <summary>Whether <see cref="Solve"/> can decide a branch of these conditions.</summary>
    public static bool CanDecide(CompiledCondition[] conditions)
        => conditions.Length <= (conditions.Any(c => c.AllowAbsent) ? MaxConditionsWithAbsence : 64);

    /// <summary>Whether every condition can take a consistent leaf or be absent; null when the sets grew past
    /// <see cref="MaxSets"/> (the caller decides another way).</summary>
    public bool? Solve(CompiledCondition[] conditions, MatchScratch scratch)
    {
        var count = 0;
        var absent = 0UL;
        for (var k = 0; k < conditions.Length; k++)
        {
            var condition = conditions[k];
            absent |= condition.AllowAbsent ? 1UL << k : 0;
            for (var leaf = scratch.FieldHead[condition.FieldId]; leaf >= 0; leaf = scratch.LeafNext[leaf])
            {
                var taken = PatternMatcher.Satisfies(leaf, condition, scratch) ? 1UL << k : 0;
                var blocking = condition.AllowAbsent ? 1UL << k : 0;
                if ((taken | blocking) == 0)
                {
                    continue;
                }

                if (count == _leaves.Length)
                {
                    Array.Resize(ref _leaves, count * 2);
                    Array.Resize(ref _bits, count * 2);
                    Array.Resize(ref _absentBits, count * 2);
                    Array.Resize(ref _order, count * 2);
                }

                _order[count] = count;
                _leaves[count] = leaf;
                _absentBits[count] = blocking;
                _bits[count++] = taken;
            }
        }

        var full = conditions.Length == 64 ? ulong.MaxValue : (1UL << conditions.Length) - 1;
        var sets = new SetAlgebra(absent == 0 ? ulong.MaxValue : Low, absent << 32, full);
        // Leaves were added in document order, so sorted by index they walk the tree depth first.
        Array.Sort(_leaves, _order, 0, count);
        EnsureFrames(scratch.MaxArrayDepth + 1);
        _frames[0].Open(-1, 0, sets);
        var depth = 0;
        for (var n = 0; n < count; n++)
        {
            var leaf = _leaves[n];
            var chain = scratch.Members.AsSpan(scratch.LeafMemberStart[leaf], scratch.LeafMemberCount[leaf] * 2);
            var common = 0;
            while (common < depth && common < chain.Length / 2
                   && _frames[common + 1].Array == chain[common * 2] && _frames[common + 1].Index == chain[(common * 2) + 1])
            {
                common++;
            }

            for (; depth > common; depth--)
            {
                var closed = Close(depth);
                if (closed is null)
                {
                    return null;
                }

                if (closed.Value)
                {
                    return true;
                }
            }

            for (; depth < chain.Length / 2; depth++)
            {
                _frames[depth + 1].Open(chain[depth * 2], chain[(depth * 2) + 1], sets);
            }

            _frames[depth].Own |= _bits[_order[n]];
            _frames[depth].OwnAbsent |= _absentBits[_order[n]];
            if ((_frames[depth].Own & full) == full)
            {
                return true;
            }
        }

        for (; depth > 0; depth--)
        {
            var closed = Close(depth);
            if (closed is null)
            {
                return null;
            }

            if (closed.Value)
            {
                return true;
            }
        }

        var root = _frames[0];
        if (!root.CloseOpenArray(_product, sets))
        {
            return null;
        }

        for (var i = 0; i < root.SetCount; i++)
        {
            if (sets.Covers(root.Final(i, sets)))
            {
                return true;
            }
        }

        return false;

        // Closes the element at depth d into its parent's open array; true when it already holds every condition.
        bool? Close(int d)
        {
            var element = _frames[d];
            if (!element.CloseOpenArray(_product, sets))
            {
                return null;
            }

            var parent = _frames[d - 1];
            if (parent.OpenArray != element.Array && !parent.StartArray(element.Array, _product, sets))
            {
                return null;
            }

            parent.OpenArrayHas |= element.Has | element.OwnAbsent;
            for (var i = 0; i < element.SetCount; i++)
            {
                var set = element.Final(i, sets);
                if ((set & full) == full)
                {
                    return true;
                }

                if (!parent.AddToArray(set))
                {
                    return null;
                }
            }

            return false;
        }
    }

    private void EnsureFrames(int count)
    {
        if (_frames.Length < count)
        {
            var frames = new Frame[Math.Max(count, _frames.Length * 2)];
            _frames.CopyTo(frames, 0);
            for (var i = _frames.Length; i < frames.Length; i++)
            {
                frames[i] = new Frame();
            }

            _frames = frames;
        }
    }

    /// <summary>An element being read (or the event itself, at depth 0).</summary>
    private sealed class Frame
    {
        public int Array { get; private set; }

        public int Index { get; private set; }

        /// <summary>Conditions its own leaves satisfy.</summary>
        public ulong Own { get; set; }

        /// <summary>Absent-allowed conditions with a leaf of its own (never blocked by anything inside it).</summary>
        public ulong OwnAbsent { get; set; }

        /// <summary>Absent-allowed conditions with a leaf in the arrays inside it closed so far.</summary>
        public ulong Has { get; private set; }

        /// <summary>The same for the open array.</summary>
        public ulong OpenArrayHas { get; set; }

        /// <summary>Maximal condition sets from the arrays inside it already closed (joined together).</summary>
        public ulong[] Sets { get; } = new ulong[MaxSets];

        public int SetCount { get; private set; }

        /// <summary>The array inside it being read, and what its elements so far offer.</summary>
        public int OpenArray { get; private set; }

        private readonly ulong[] _offers = new ulong[MaxSets];
        private int _offerCount;

        public void Open(int array, int index, SetAlgebra sets)
        {
            Array = array;
            Index = index;
            Own = 0;
            OwnAbsent = 0;
            Has = 0;
            OpenArrayHas = 0;
            Sets[0] = sets.Start;
            SetCount = 1;
            OpenArray = -1;
            _offerCount = 0;
        }

        /// <summary>Set <paramref name="i"/> joined with what the element's own leaves give.</summary>
        public ulong Final(int i, SetAlgebra sets) => sets.Join(Sets[i], sets.Own(Own, OwnAbsent));

        public bool StartArray(int array, ulong[] product, SetAlgebra sets)
        {
            if (!CloseOpenArray(product, sets))
            {
                return false;
            }

            OpenArray = array;
            return true;
        }

        public bool AddToArray(ulong set) => AddMaximal(_offers, ref _offerCount, set);

        /// <summary>Joins the open array's offers (or nothing from it) into <see cref="Sets"/>.</summary>
        public bool CloseOpenArray(ulong[] product, SetAlgebra sets)
        {
            if (OpenArray < 0)
            {
                return true;
            }

            var count = 0;
            for (var i = 0; i < SetCount; i++)
            {
                if (!AddMaximal(product, ref count, sets.Join(Sets[i], sets.Nothing(OpenArrayHas))))
                {
                    return false;
                }

                for (var j = 0; j < _offerCount; j++)
                {
                    if (!AddMaximal(product, ref count, sets.Join(Sets[i], sets.Offer(_offers[j], OpenArrayHas))))
                    {
                        return false;
                    }
                }
            }

            product.AsSpan(0, count).CopyTo(Sets);
            SetCount = count;
            Has |= OpenArrayHas;
            OpenArray = -1;
            OpenArrayHas = 0;
            _offerCount = 0;
            return true;
        }

        /// <summary>Adds a set unless a kept one contains it, dropping kept ones it contains.</summary>
        private static bool AddMaximal(ulong[] sets, ref int count, ulong set)
        {
            for (var i = 0; i < count; i++)
            {
                if ((sets[i] | set) == sets[i])
                {
                    return true;
                }
            }

            var kept = 0;
            for (var i = 0; i < count; i++)
            {
                if ((sets[i] | set) != set)
                {
                    sets[kept++] = sets[i];
                }
            }

            if (kept == sets.Length)
            {
                return false;
            }

            sets[kept++] = set;
            count = kept;
            return true;
        }
    }

    /// <summary>How sets combine. Without absences a set is the taken conditions (64 bits). With them, the taken
    /// conditions are the low half and the blocked ones the high half: joining two sides adds up what they take and
    /// keeps blocked only what both block.</summary>
    private readonly record struct SetAlgebra(ulong TakenBits, ulong Blockable, ulong Full)
    {
        /// <summary>An element before its leaves: nothing taken, everything blocked.</summary>
        public ulong Start => Blockable;

        public ulong Join(ulong a, ulong b) => ((a | b) & TakenBits) | (a & b & ~TakenBits);

        /// <summary>An element's own leaves: what they take, and every condition blocked but theirs.</summary>
        public ulong Own(ulong taken, ulong ownAbsent) => taken | (Blockable & ~(ownAbsent << 32));

        /// <summary>Taking nothing from an array: blocked only the conditions with no leaf in it.</summary>
        public ulong Nothing(ulong arrayHas) => Blockable & ~(arrayHas << 32);

        /// <summary>Taking an element's set from an array: a condition after the first one taken there finds the
        /// array's other elements blocked; one before it, only when the array has none of its leaves.</summary>
        public ulong Offer(ulong set, ulong arrayHas)
        {
            if (Blockable == 0)
            {
                return set;
            }

            var taken = set & TakenBits;
            var first = taken & (~taken + 1);
            var after = taken == 0 ? 0 : ~(first | (first - 1));
            return set & (TakenBits | ((after | ~arrayHas) << 32));
        }

        public bool Covers(ulong set)
            => ((Blockable == 0 ? set : (set & TakenBits) | (set >> 32)) & Full) == Full;
    }
}
