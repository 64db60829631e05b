using EventPatterns.Matchers;

namespace EventPatterns.Parsing;

/// <summary>One field of a pattern branch: the leaf at <see cref="Path"/> must satisfy one of the
/// matchers (values in a list are OR), or, when <see cref="AllowAbsent"/>, may be absent
/// (<c>exists: false</c>).</summary>
internal sealed class PatternField(string path, IReadOnlyList<ValueMatcher> matchers, bool allowAbsent)
{
    /// <summary>Dotted path, as EventBridge flattens field names (<c>detail.status-details.status</c>).</summary>
    public string Path { get; } = path;

    public IReadOnlyList<ValueMatcher> Matchers { get; } = matchers;

    public bool AllowAbsent { get; } = allowAbsent;
}
