using EventPatterns.Matchers;

namespace EventPatterns.Matching;

/// <summary>A path that some pattern tests, with the distinct matchers of every pattern on it. Each
/// leaf read at this path is tested once against all of them; the results are a bit set.</summary>
internal sealed class CompiledField(string path, IReadOnlyList<ValueMatcher> matchers, bool needsEveryLeaf)
{
    public string Path { get; } = path;

    public ValueMatcher[] Matchers { get; } = [.. matchers];

    /// <summary>Words of the per-leaf bit set.</summary>
    public int Words { get; } = Math.Max(1, (matchers.Count + 63) / 64);

    /// <summary>An <c>exists: false</c> on this path must see every leaf, even those no matcher accepts.</summary>
    public bool NeedsEveryLeaf { get; } = needsEveryLeaf;

    /// <summary>Every branch that tests this path tests nothing else (and needs a leaf): one leaf per matcher
    /// that accepts it is all the solving needs, so once a matcher has accepted a leaf it is not asked again
    /// in this event, and a leaf that no further matcher accepts is not kept.</summary>
    public bool AloneInEveryBranch { get; init; }

    /// <summary>Where this field's accepted-so-far bits start in <see cref="MatchScratch.Accepted"/>.</summary>
    public int AcceptedOffset { get; init; }
}
