using EventPatterns.Parsing;

namespace EventPatterns.Matchers;

/// <summary>A range of IP addresses as event-ruler matches it (aws/event-ruler, <c>CIDR.java</c>): an address
/// becomes its hexadecimal digits (8 for IPv4, 32 for IPv6) and a range is a lowest and a highest digit
/// string, walked digit by digit like a string range. Within one family that is the usual test; across
/// families it compares the shorter length only: an IPv6 address is in an IPv4 range when its first 32 bits
/// are, and an IPv4 address is in an IPv6 CIDR block when its digits leave the range's two edges before
/// they end (<c>::/1</c> holds 10.0.0.1, <c>a00::/16</c> holds 10.0.0.1 but not 10.0.0.0).</summary>
internal sealed class AddressRange
{
    private readonly byte[] _low;
    private readonly byte[] _high;
    private readonly bool _lowInclusive;
    private readonly bool _highInclusive;

    private AddressRange(byte[] low, bool lowInclusive, byte[] high, bool highInclusive)
    {
        _low = low;
        _high = high;
        _lowInclusive = lowInclusive;
        _highInclusive = highInclusive;
    }

    /// <summary>The block <paramref name="network"/>/<paramref name="prefixLength"/>, both ends included.</summary>
    public static AddressRange Block(ReadOnlySpan<byte> network, int prefixLength)
    {
        var low = Nibbles(network);
        var high = Nibbles(network);
        for (var bit = prefixLength; bit < network.Length * 8; bit++)
        {
            var nibble = bit / 4;
            var mask = (byte)(8 >> (bit % 4));
            low[nibble] &= (byte)~mask;
            high[nibble] |= mask;
        }

        return new AddressRange(low, true, high, true);
    }

    /// <summary>One address, as event-ruler turns an address in a value list into a range: from it to the
    /// next value of its last digit, open at that end (from the one before, open, when the digit is F).</summary>
    public static AddressRange Single(ReadOnlySpan<byte> address)
    {
        var low = Nibbles(address);
        var high = Nibbles(address);
        if (low[^1] == 0xF)
        {
            low[^1]--;
            return new AddressRange(low, false, high, true);
        }

        high[^1]++;
        return new AddressRange(low, true, high, false);
    }

    /// <summary>Whether <paramref name="utf8"/> is an address (<see cref="IpAddressText"/>) inside the range.</summary>
    public bool Contains(ReadOnlySpan<byte> utf8)
    {
        Span<byte> address = stackalloc byte[16];
        if (!IpAddressText.TryParse(utf8, address, out var length))
        {
            return false;
        }

        var onLow = true;
        var onHigh = true;
        var digits = Math.Min(length * 2, _low.Length);
        for (var i = 0; i < digits; i++)
        {
            var digit = (i & 1) == 0 ? address[i / 2] >> 4 : address[i / 2] & 0xF;
            if (onLow)
            {
                if (digit < _low[i])
                {
                    return false;
                }

                onLow = digit == _low[i];
            }

            if (onHigh)
            {
                if (digit > _high[i])
                {
                    return false;
                }

                onHigh = digit == _high[i];
            }

            if (!onLow && !onHigh)
            {
                return true;
            }
        }

        // Digits left over after the range's are not read; a range longer than the address needs all of its own.
        return digits == _low.Length && (!onLow || _lowInclusive) && (!onHigh || _highInclusive);
    }

    private static byte[] Nibbles(ReadOnlySpan<byte> bytes)
    {
        var nibbles = new byte[bytes.Length * 2];
        for (var i = 0; i < bytes.Length; i++)
        {
            nibbles[2 * i] = (byte)(bytes[i] >> 4);
            nibbles[(2 * i) + 1] = (byte)(bytes[i] & 0xF);
        }

        return nibbles;
    }
}
