using System.Text;
using RemediationWorker.Intake;

namespace RemediationWorker.Tests.Intake;

public sealed class CheckedJsonCursorTests
{
    [Theory]
    [InlineData("""{"a":1,"b":{"a":2},"c":3}""", "a", 12)] // the last mention, a nested member's too
    [InlineData("""{"a":1,"b":{"a":2},"c":"a"}""", "a", 23)] // ... or a value's
    [InlineData("""{"ab":1,"xa":2}""", "a", -1)] // only the whole name in quotes counts
    [InlineData("""{"b":1}""", "a", -1)]
    [InlineData("""{"\u0061":1}""", "a", 12)] // \u escapes could spell it anywhere: the end
    [InlineData("""{"a/b":1}""", "a/b", 9)] // may be written a\/b
    [InlineData("""{"a\"b":1}""", "a\"b", 10)]
    public void LastMention_TheLastPlaceTheNameCanStart(string json, string name, int expected)
    {
        Assert.Equal(expected, CheckedJsonCursor.LastMention(Encoding.UTF8.GetBytes(json), Encoding.UTF8.GetBytes(name)));
    }

    [Fact]
    public void SkipValue_BracketsAndQuotesInStrings_DoNotCount()
    {
        var json = Encoding.UTF8.GetBytes("""{"s":"}]\"{[","o":{"k":["]",{"}":"\\"}]},"n":-1.5e3 ,"t":true}""");
        var cursor = new CheckedJsonCursor(json);
        var names = new List<string>();
        Assert.True(cursor.TryEnter((byte)'{'));
        while (cursor.NextMember())
        {
            names.Add(cursor.NameIs("t"u8) ? "t" : cursor.NameIs("n"u8) ? "n" : cursor.NameIs("o"u8) ? "o" : "s");
            cursor.SkipValue();
        }

        Assert.Equal(["s", "o", "n", "t"], names);
        Assert.Equal(json.Length, cursor.Position);
    }

    [Theory]
    [InlineData("\"plain\"", "plain")]
    [InlineData("\"esc\\u0061ped\\n\"", "escaped\n")]
    [InlineData("12", null)]
    public void ReadString_UnescapedOrNull(string json, string? expected)
    {
        var cursor = new CheckedJsonCursor(Encoding.UTF8.GetBytes(json));

        Assert.Equal(expected, cursor.ReadString());
    }
}
