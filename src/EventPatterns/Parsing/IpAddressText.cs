using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EventPatterns.Parsing;

/// <summary>Strict IP address text: dotted-quad IPv4 without leading zeros, or IPv6 in its standard forms (no zone id).
/// Looser spellings that <see cref="IPAddress.TryParse(string, out IPAddress)"/> would take, such as
/// <c>10.1</c>, are not addresses here.</summary>
internal static class IpAddressText
{
    public static bool TryParse(ReadOnlySpan<byte> utf8, Span<byte> destination, out int length)
    {
        length = 0;
        if (utf8.IndexOf((byte)':') < 0)
        {
            return TryParseIPv4(utf8, destination, out length);
        }

        if (utf8.Length > 45 || utf8.IndexOf((byte)'%') >= 0)
        {
            return false;
        }

        Span<char> chars = stackalloc char[45];
        var count = Encoding.ASCII.GetChars(utf8, chars);
        if (!IPAddress.TryParse(chars[..count], out var address) || address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }

        return address.TryWriteBytes(destination, out length);
    }

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

            // No leading zeros: "010" would be octal to some parsers and decimal to others.
            if (b is < (byte)'0' or > (byte)'9' || ++digits > 3 || (digits == 2 && value == 0))
            {
                return false;
            }

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
