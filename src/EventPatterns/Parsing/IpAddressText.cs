using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EventPatterns.Parsing;

/// <summary>IP address text as event-ruler reads it (aws/event-ruler, <c>CIDR.java</c>: a regular-expression
/// check, then Java's <c>InetAddress.getByName</c>): IPv4 as four dot-separated decimal numbers up to 255
/// (leading zeros allowed, read as decimal); IPv6 as hexadecimal digits and colons only, so no zone id and
/// no dotted tail (<c>::ffff:10.0.0.1</c> is not an address). An IPv4-mapped IPv6 address
/// (<c>::ffff:a00:1</c>) is the IPv4 address it maps, as Java's <c>InetAddress</c> makes it.</summary>
internal static class IpAddressText
{
    public static bool TryParse(ReadOnlySpan<byte> utf8, Span<byte> destination, out int length)
    {
        length = 0;
        if (utf8.IndexOf((byte)':') < 0)
        {
            return TryParseIPv4(utf8, destination, out length);
        }

        if (utf8.Length > 45 || utf8.ContainsAnyExcept(HexAndColon))
        {
            return false;
        }

        Span<char> chars = stackalloc char[45];
        var count = Encoding.ASCII.GetChars(utf8, chars);
        if (!IPAddress.TryParse(chars[..count], out var address) || address.AddressFamily != AddressFamily.InterNetworkV6
            || !address.TryWriteBytes(destination, out length))
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            destination.Slice(12, 4).CopyTo(destination);
            length = 4;
        }

        return true;
    }

    private static readonly System.Buffers.SearchValues<byte> HexAndColon =
        System.Buffers.SearchValues.Create("0123456789abcdefABCDEF:"u8);

    private static bool TryParseIPv4(ReadOnlySpan<byte> utf8, Span<byte> destination, out int length)
    {
        length = 0;
        var octet = 0;
        var value = 0;
        var digits = 0;
        foreach (var b in utf8)
        {
            if (b == (byte)'.')
            {
                if (digits == 0 || octet == 3)
                {
                    return false;
                }

                destination[octet++] = (byte)value;
                value = 0;
                digits = 0;
                continue;
            }

            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            digits++;
            value = (value * 10) + (b - '0');
            if (value > 255)
            {
                return false;
            }
        }

        if (digits == 0 || octet != 3)
        {
            return false;
        }

        destination[3] = (byte)value;
        length = 4;
        return true;
    }
}
