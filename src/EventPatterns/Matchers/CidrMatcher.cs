using EventPatterns.Parsing;

namespace EventPatterns.Matchers;

/// <summary><c>cidr</c>: a string leaf holding an IP address of the block's family inside the block.</summary>
internal sealed class CidrMatcher(string text, byte[] network, int prefixLength) : ValueMatcher
{
    public override string Key => "c:" + text;

    public override bool Matches(LeafValue leaf)
    {
        if (leaf.Kind != LeafKind.String)
        {
            return false;
        }

        Span<byte> address = stackalloc byte[16];
        if (!IpAddressText.TryParse(leaf.Utf8, address, out var length) || length != network.Length)
        {
            return false;
        }

        var fullBytes = prefixLength / 8;
        if (!address[..fullBytes].SequenceEqual(network.AsSpan(0, fullBytes)))
        {
            return false;
        }

        var remainingBits = prefixLength % 8;
        if (remainingBits == 0)
        {
            return true;
        }

        var mask = (byte)(0xFF << (8 - remainingBits));
        return (address[fullBytes] & mask) == (network[fullBytes] & mask);
    }
}
