namespace EventPatterns.Matchers;

/// <summary><c>equals-ignore-case</c>, with EventBridge's case rules (<see cref="CaseInsensitiveText"/>).</summary>
internal sealed class EqualsIgnoreCaseMatcher(string value) : ValueMatcher
{
    private readonly CaseInsensitiveText _text = new(value);

    public override string Key => "i:" + value;

    public override bool Matches(LeafValue leaf) => leaf.Kind == LeafKind.String && _text.Equals(leaf.Utf8);
}
