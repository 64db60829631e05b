using System.Globalization;

namespace EventPatterns.Parsing;

/// <summary>JSON number text in a canonical decimal form (<c>[-]DIGITSeEXP</c>, no leading or trailing
/// zeros in DIGITS; zero is <c>0</c>), so that equal numbers have equal bytes whatever their spelling:
/// <c>5</c>, <c>5.0</c>, <c>5e0</c> and <c>0.5E1</c> all become <c>5e0</c>. Exact, with no
/// round trip through <c>double</c>.</summary>
internal static class NumberText
{
    /// <summary>The canonical form is never longer than this for an input of <paramref name="length"/> bytes.</summary>
    public static int MaxCanonicalLength(int length) => length + 24;

    public static bool TryCanonicalize(ReadOnlySpan<byte> text, Span<byte> destination, out int written)
    {
        written = 0;
        var i = 0;
        var negative = false;
        if (i < text.Length && text[i] == (byte)'-')
        {
            negative = true;
            i++;
        }

        // Significant digits, and how many of them stand before the decimal point.
        Span<byte> digits = destination.Length >= text.Length ? destination[^text.Length..] : stackalloc byte[0];
        if (digits.Length < text.Length)
        {
            return false;
        }

        var count = 0;
        long pointShift = 0;
        var sawDigit = false;
        var leading = true;
        for (; i < text.Length && IsDigit(text[i]); i++)
        {
            sawDigit = true;
            if (leading && text[i] == (byte)'0')
            {
                continue;
            }

            leading = false;
            digits[count++] = text[i];
            pointShift++;
        }

        if (i < text.Length && text[i] == (byte)'.')
        {
            i++;
            var fractionStart = i;
            for (; i < text.Length && IsDigit(text[i]); i++)
            {
                if (leading && text[i] == (byte)'0')
                {
                    pointShift--;
                    continue;
                }

                leading = false;
                digits[count++] = text[i];
            }

            if (i == fractionStart)
            {
                return false;
            }

            sawDigit = true;
        }

        if (!sawDigit)
        {
            return false;
        }

        long exponent = 0;
        if (i < text.Length && (text[i] == (byte)'e' || text[i] == (byte)'E'))
        {
            i++;
            var expNegative = false;
            if (i < text.Length && (text[i] == (byte)'+' || text[i] == (byte)'-'))
            {
                expNegative = text[i] == (byte)'-';
                i++;
            }

            var expStart = i;
            for (; i < text.Length && IsDigit(text[i]); i++)
            {
                // Beyond a billion the value is out of every range anyway; keep it from overflowing.
                if (exponent < 1_000_000_000)
                {
                    exponent = (exponent * 10) + (text[i] - '0');
                }
            }

            if (i == expStart)
            {
                return false;
            }

            if (expNegative)
            {
                exponent = -exponent;
            }
        }

        if (i != text.Length)
        {
            return false;
        }

        while (count > 0 && digits[count - 1] == (byte)'0')
        {
            count--;
        }

        if (count == 0)
        {
            destination[0] = (byte)'0';
            written = 1;
            return true;
        }

        // Value = 0.DIGITS × 10^(pointShift + exponent); write it as D.IGITS e (that − 1), digits without the point.
        var scientific = pointShift + exponent - 1;
        var pos = 0;
        if (negative)
        {
            destination[pos++] = (byte)'-';
        }

        // digits live at the tail of destination; the head never overtakes them because we write at most count+1 bytes before them.
        digits[..count].CopyTo(destination[pos..]);
        pos += count;
        destination[pos++] = (byte)'e';
        if (!scientific.TryFormat(destination[pos..], out var expWritten, default, CultureInfo.InvariantCulture))
        {
            return false;
        }

        written = pos + expWritten;
        return true;
    }

    public static byte[]? Canonicalize(string text)
    {
        var utf8 = System.Text.Encoding.UTF8.GetBytes(text);
        var buffer = new byte[MaxCanonicalLength(utf8.Length)];
        return TryCanonicalize(utf8, buffer, out var written) ? buffer[..written] : null;
    }

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';
}
