using System.Text;
using EventPatterns.Parsing;

namespace EventPatterns.Tests.Parsing;

public sealed class NumberTextTests
{
    [Theory]
    [InlineData("5", 5, 0)]
    [InlineData("5.0", 5, 0)]
    [InlineData("0.5E1", 5, 0)]
    [InlineData("-12.50", -125, -1)]
    [InlineData("0.00012", 12, -5)]
    [InlineData("1200", 12, 2)]
    [InlineData("1e+2", 1, 2)]
    [InlineData("-0.000", 0, 0)]
    [InlineData("1234567890123456789", 1234567890123456789, 0)]
    public void TryDecimal_Numbers_SplitIntoMantissaAndExponent(string text, long mantissa, long exponent)
    {
        Assert.True(NumberText.TryDecimal(Encoding.UTF8.GetBytes(text), out var negative, out var m, out var e, out _));
        Assert.Equal(mantissa, negative ? -(long)m : (long)m);
        Assert.Equal(exponent, e);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("1e")]
    [InlineData("abc")]
    [InlineData("1x")]
    [InlineData("12345678901234567890123")]
    public void TryDecimal_NotANumberOrTooManyDigits_Fails(string text)
        => Assert.False(NumberText.TryDecimal(Encoding.UTF8.GetBytes(text), out _, out _, out _, out _));

    // Outcomes from event-ruler 2.0.1 (numeric "=" accepting or refusing the value).
    [Theory]
    [InlineData("5", true)]
    [InlineData("5.0", true)]
    [InlineData("0", true)]
    [InlineData("-0.0", true)]
    [InlineData("0.1", true)]
    [InlineData("3.018e2", true)]
    [InlineData("-122.42916360922355", true)]
    [InlineData("1.7976931348623157e308", true)]
    [InlineData("12345678901234567890", false)]
    [InlineData("0.1000000000000000055511151231257827", false)]
    [InlineData("1e400", false)]
    [InlineData("1e-400", false)]
    [InlineData("0e5", true)]
    public void IsComparable_AsEventRuler(string text, bool comparable)
        => Assert.Equal(comparable, NumberText.IsComparable(Encoding.UTF8.GetBytes(text), out _));
}
