using System.Text;
using EventPatterns.Parsing;

namespace EventPatterns.Matchers;

/// <summary>A string in the value list. When it is an IP address, EventBridge compares it as an
/// address (<see cref="AddressRange.Single"/>), so <c>2001:DB8::1</c> also matches <c>2001:db8:0:0::1</c>;
/// <c>{"exactly": …}</c> and <c>anything-but</c> compare the characters only, as event-ruler does.</summary>
internal sealed class ExactStringMatcher : ValueMatcher
{
    private readonly string _value;
    private readonly byte[] _utf8;
    private readonly AddressRange? _address;

    public ExactStringMatcher(string value, bool asAddress = true)
    {
        _value = value;
        _utf8 = Encoding.UTF8.GetBytes(value);
        Span<byte> address = stackalloc byte[16];
        _address = asAddress && IpAddressText.TryParse(_utf8, address, out var length) ? AddressRange.Single(address[..length]) : null;
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

        return _address is not null && _address.Contains(leaf.Utf8);
    }
}
