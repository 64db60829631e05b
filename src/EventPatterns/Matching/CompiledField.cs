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
}
