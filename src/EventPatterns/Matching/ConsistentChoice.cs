namespace EventPatterns.Matching;

/// <summary>Decides in one pass over the leaves, in document order, whether a branch's conditions (all
/// needing a leaf; at most 64) can each take a leaf with no two from different elements of one array.
/// The backtracking search in <see cref="PatternMatcher"/> answers most events at once but is quadratic
/// when, say, two fields sit in alternate elements of a large array; this answers the same question in
/// time linear in the leaves (after a sort), so that no event costs more than a bounded amount.</summary>
/// <remarks>
/// Leaves and arrays form a tree: an element holds leaves and arrays, an array holds elements. A set of
/// leaves is pairwise consistent exactly when it uses at most one element of each array. So for each
/// element, the sets of conditions its subtree can satisfy are: the conditions of its own leaves (all
/// consistent with each other), joined with one choice from each array inside it, where an array offers
/// what any one of its elements offers (or nothing). Only maximal sets are kept; with up to 6 conditions
/// there are at most 20 of them, and past <see cref="MaxSets"/> the caller falls back to backtracking.
/// </remarks>
internal sealed class ConsistentChoice
{
    /// <summary>Most maximal condition sets kept for one element or array.</summary>
    public const int MaxSets = 64;

    private Frame[] _frames = [];
    private int[] _leaves = new int[64];
    private ulong[] _bits = new ulong[64];
    private readonly ulong[] _product = new ulong[MaxSets];

    /// <summary>Whether every condition can take a consistent leaf; null when the sets grew past
    /// <see cref="MaxSets"/> (the caller decides another way).</summary>
    public bool? Solve(CompiledCondition[] conditions, MatchScratch scratch)
    {
        var count = 0;
        for (var k = 0; k < conditions.Length; k++)
        {
            for (var leaf = scratch.FieldHead[conditions[k].FieldId]; leaf >= 0; leaf = scratch.LeafNext[leaf])
            {
                if (PatternMatcher.Satisfies(leaf, conditions[k], scratch))
                {
                    if (count == _leaves.Length)
                    {
                        Array.Resize(ref _leaves, count * 2);
                        Array.Resize(ref _bits, count * 2);
                    }

                    _leaves[count] = leaf;
                    _bits[count++] = 1UL << k;
                }
            }
        }

        var full = conditions.Length == 64 ? ulong.MaxValue : (1UL << conditions.Length) - 1;
        // Leaves were added in document order, so sorted by index they walk the tree depth first.
        Array.Sort(_leaves, _bits, 0, count);
        EnsureFrames(scratch.MaxArrayDepth + 1);
        _frames[0].Open(-1);
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
                _frames[depth + 1].Open(chain[depth * 2], chain[(depth * 2) + 1]);
            }

            _frames[depth].Own |= _bits[n];
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
        if (!root.CloseOpenArray(_product))
        {
            return null;
        }

        for (var i = 0; i < root.SetCount; i++)
        {
            if (((root.Sets[i] | root.Own) & full) == full)
            {
                return true;
            }
        }

        return false;

        // Closes the element at depth d into its parent's open array; true when it already holds every condition.
        bool? Close(int d)
        {
            var element = _frames[d];
            if (!element.CloseOpenArray(_product))
            {
                return null;
            }

            var parent = _frames[d - 1];
            if (parent.OpenArray != element.Array && !parent.StartArray(element.Array, _product))
            {
                return null;
            }

            for (var i = 0; i < element.SetCount; i++)
            {
                var set = element.Sets[i] | element.Own;
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

        /// <summary>Maximal condition sets from the arrays inside it already closed (joined together).</summary>
        public ulong[] Sets { get; } = new ulong[MaxSets];

        public int SetCount { get; private set; }

        /// <summary>The array inside it being read, and what its elements so far offer.</summary>
        public int OpenArray { get; private set; }

        private readonly ulong[] _offers = new ulong[MaxSets];
        private int _offerCount;

        public void Open(int array, int index = 0)
        {
            Array = array;
            Index = index;
            Own = 0;
            Sets[0] = 0;
            SetCount = 1;
            OpenArray = -1;
            _offerCount = 0;
        }

        public bool StartArray(int array, ulong[] product)
        {
            if (!CloseOpenArray(product))
            {
                return false;
            }

            OpenArray = array;
            return true;
        }

        public bool AddToArray(ulong set) => AddMaximal(_offers, ref _offerCount, set);

        /// <summary>Joins the open array's offers (or nothing from it) into <see cref="Sets"/>.</summary>
        public bool CloseOpenArray(ulong[] product)
        {
            if (OpenArray < 0)
            {
                return true;
            }

            var count = 0;
            for (var i = 0; i < SetCount; i++)
            {
                if (!AddMaximal(product, ref count, Sets[i]))
                {
                    return false;
                }

                for (var j = 0; j < _offerCount; j++)
                {
                    if (!AddMaximal(product, ref count, Sets[i] | _offers[j]))
                    {
                        return false;
                    }
                }
            }

            product.AsSpan(0, count).CopyTo(Sets);
            SetCount = count;
            OpenArray = -1;
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
}
