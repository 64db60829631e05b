using System.Globalization;

namespace EventPatterns.Parsing;

/// <summary>Which JSON numbers event-ruler compares by value. Its <c>ComparableNumber.generate</c>
/// (aws/event-ruler, <c>src/main/software/amazon/event/ruler/ComparableNumber.java</c>) takes a number
/// only when the double nearest to it prints back as exactly the same decimal value
/// (<c>BigDecimal.valueOf(double).compareTo(BigDecimal(text)) == 0</c>): 5, 5.0, 0.1 and 1e300 are
/// comparable; 12345678901234567890, 0.1000000000000000055511151231257827, 1e400 and 1e-400 are not.
/// A comparable number matches numbers of the same value; any other number is only its text.</summary>
/// <remarks>"Prints back" is taken as the shortest round-trip form (.NET's, and Java's from JDK 19).
/// The Java 17 <c>Double.toString</c> that some event-ruler builds run on prints a few values with a
/// digit more (<c>4.9E-324</c> for the smallest subnormal, <c>2.82879384806159008E17</c>), so there
/// those few are not comparable when written the short way and are when written the long way.</remarks>
internal static class NumberText
{
    private const double SmallestNormal = 2.2250738585072014E-308;

    /// <summary>Whether event-ruler compares <paramref name="text"/> (a JSON number) by value, and that value.</summary>
    public static bool IsComparable(ReadOnlySpan<byte> text, out double value)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) || !double.IsFinite(value)
            || !TryDecimal(text, out var negative, out var mantissa, out var exponent, out var digits))
        {
            return false;
        }

        if (mantissa == 0)
        {
            return true;
        }

        // Up to 15 significant digits always survive a round trip through a normal double (DBL_DIG).
        if (digits <= 15 && Math.Abs(value) >= SmallestNormal)
        {
            return true;
        }

        Span<byte> shortest = stackalloc byte[32];
        return value.TryFormat(shortest, out var written, "R", CultureInfo.InvariantCulture)
            && TryDecimal(shortest[..written], out var shortNegative, out var shortMantissa, out var shortExponent, out _)
            && shortNegative == negative && shortMantissa == mantissa && shortExponent == exponent;
    }

    /// <summary>Splits decimal number text into <c>mantissa × 10^exponent</c> with the mantissa's trailing
    /// zeros moved into the exponent; false when the text is not a number or has more than 19
    /// significant digits (more than any double's shortest form has).</summary>
    internal static bool TryDecimal(ReadOnlySpan<byte> text, out bool negative, out ulong mantissa, out long exponent, out int digits)
    {
        negative = false;
        mantissa = 0;
        exponent = 0;
        digits = 0;
        var i = 0;
        if (i < text.Length && text[i] == (byte)'-')
        {
            negative = true;
            i++;
        }

        var pendingZeros = 0;
        var fractionDigits = 0;
        var anyDigit = false;
        var inFraction = false;
        for (; i < text.Length; i++)
        {
            var b = text[i];
            if (b == (byte)'.' && !inFraction)
            {
                inFraction = true;
                continue;
            }

            if (b is < (byte)'0' or > (byte)'9')
            {
                break;
            }

            anyDigit = true;
            fractionDigits += inFraction ? 1 : 0;
            if (b == (byte)'0')
            {
                // Leading zeros are dropped; others wait until a later non-zero digit shows they are inside.
                pendingZeros += digits > 0 ? 1 : 0;
                continue;
            }

            digits += pendingZeros + 1;
            if (digits > 19)
            {
                return false;
            }

            for (; pendingZeros > 0; pendingZeros--)
            {
                mantissa *= 10;
            }

            mantissa = (mantissa * 10) + (ulong)(b - '0');
        }

        if (!anyDigit)
        {
            return false;
        }

        long written = 0;
        if (i < text.Length)
        {
            if (text[i] is not ((byte)'e' or (byte)'E') || ++i == text.Length)
            {
                return false;
            }

            var negativeExponent = text[i] == (byte)'-';
            i += text[i] is (byte)'-' or (byte)'+' ? 1 : 0;
            var start = i;
            for (; i < text.Length && text[i] is >= (byte)'0' and <= (byte)'9'; i++)
            {
                // Past a million the value is 0 or infinite as a double anyway; the cap keeps it from overflowing.
                written = Math.Min((written * 10) + (text[i] - '0'), 1_000_000);
            }

            if (i == start || i != text.Length)
            {
                return false;
            }

            written = negativeExponent ? -written : written;
        }

        exponent = mantissa == 0 ? 0 : pendingZeros - fractionDigits + written;
        negative &= mantissa != 0;
        return true;
    }
}
