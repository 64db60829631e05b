using System.Text;
using EventPatterns.Parsing;

namespace EventPatterns.Tests.Parsing;

public sealed class NumberTextTests
{
    [Theory]
    [InlineData("5", "5e0")]
    [InlineData("5.0", "5e0")]
    [InlineData("5e0", "5e0")]
    [InlineData("0.5E1", "5e0")]
    [InlineData("-12.50", "-125e1")]
    [InlineData("0.00012", "12e-4")]
    [InlineData("1200", "12e3")]
    [InlineData("0", "0")]
    [InlineData("-0.000", "0")]
    [InlineData("1e+2", "1e2")]
    [InlineData("12345678901234567890", "1234567890123456789e19")]
    public void TryCanonicalize_Numbers_HaveOneSpelling(string text, string expected)
    {
        var buffer = new byte[NumberText.MaxCanonicalLength(text.Length)];
        Assert.True(NumberText.TryCanonicalize(Encoding.UTF8.GetBytes(text), buffer, out var written));
        Assert.Equal(expected, Encoding.UTF8.GetString(buffer, 0, written));
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("1.")]
    [InlineData("1e")]
    [InlineData("abc")]
    [InlineData("1x")]
    public void TryCanonicalize_NotANumber_Fails(string text)
    {
        var buffer = new byte[NumberText.MaxCanonicalLength(text.Length)];
        Assert.False(NumberText.TryCanonicalize(Encoding.UTF8.GetBytes(text), buffer, out _));
    }
}
