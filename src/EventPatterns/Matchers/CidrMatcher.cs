namespace EventPatterns.Matchers;

/// <summary><c>cidr</c>: a string leaf holding an IP address inside the block (<see cref="AddressRange"/>).</summary>
internal sealed class CidrMatcher(string text, byte[] network, int prefixLength) : ValueMatcher
{
    private readonly AddressRange _range = AddressRange.Block(network, prefixLength);

    public override string Key => "c:" + text;

    public override bool Matches(LeafValue leaf) => leaf.Kind == LeafKind.String && _range.Contains(leaf.Utf8);
}
