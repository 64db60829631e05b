using System.Text;
using EventPatterns.Parsing;

namespace EventPatterns.Matchers;

/// <summary>A string in the value list. When it is an IP address, EventBridge compares it as an
/// address, so <c>2001:DB8::1</c> also matches <c>2001:db8:0:0::1</c>; <c>{"exactly": …}</c>
/// compares the characters only.</summary>
internal sealed class ExactStringMatcher : ValueMatcher
{
    private readonly string _value;
    private readonly byte[] _utf8;
    private readonly byte[]? _address;

    public ExactStringMatcher(string value, bool asAddress = true)
    {
        _value = value;
        _utf8 = Encoding.UTF8.GetBytes(value);
        Span<byte> address = stackalloc byte[16];
        _address = asAddress && IpAddressText.TryParse(_utf8, address, out var length) ? address[..length].ToArray() : null;
    }

    public override string Key => (_address is null ? "s:" : "a:") + _value;

    public override bool Matches(LeafValue leaf)
    {
        if (leaf.Kind != LeafKind.String)
        {
            return false;
        }

        if (leaf.Utf8.SequenceEqual(_utf8))
        {
            return true;
        }

        if (_address is null)
        {
            return false;
        }

        Span<byte> address = stackalloc byte[16];
        return IpAddressText.TryParse(leaf.Utf8, address, out var length) && address[..length].SequenceEqual(_address);
    }
}
