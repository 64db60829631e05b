namespace EventPatterns.Tests.Matching;

/// <summary>Two pattern fields must not be satisfied by leaves of different elements of one array.</summary>
public sealed class ArrayConsistencyTests
{
    private const string Songs = """
        {"Songs":[
          {"Name":"Paperback Writer","Writers":[{"First":"John","Last":"Lennon"},{"First":"Paul","Last":"McCartney"}]},
          {"Name":"Paint It Black","Writers":[{"First":"Mick","Last":"Jagger"},{"First":"Keith","Last":"Richards"}]}]}
        """;

    [Theory]
    [InlineData("""{"Songs":{"Name":["Paperback Writer"],"Writers":{"First":["Paul"],"Last":["McCartney"]}}}""", true)]
    [InlineData("""{"Songs":{"Name":["Paperback Writer"],"Writers":{"First":["Mick"]}}}""", false)]
    [InlineData("""{"Songs":{"Writers":{"First":["John"],"Last":["McCartney"]}}}""", false)]
    [InlineData("""{"Songs":{"Name":["Paint It Black"],"Writers":{"First":["Keith"],"Last":["Richards"]}}}""", true)]
    public void Songs_FieldsAcrossNestedArrays_MustComeFromOneElementAtEveryLevel(string pattern, bool expected)
        => Assert.Equal(expected, Match.One(pattern, Songs));

    [Theory]
    [InlineData("""{"d":{"a":[1],"b":[2]}}""", """{"d":[{"a":1},{"b":2}]}""", false)]
    [InlineData("""{"d":{"a":[1],"b":[2]}}""", """{"d":[{"a":1},{"b":2},{"a":1,"b":2}]}""", true)]
    [InlineData("""{"d":{"a":[1]},"e":[3]}""", """{"d":[{"a":1}],"e":3}""", true)]
    [InlineData("""{"d":{"a":[1]},"e":{"b":[2]}}""", """{"d":[{"a":1}],"e":[{"b":2}]}""", true)]
    [InlineData("""{"d":{"a":[{"exists":true}],"b":[{"exists":false}]}}""", """{"d":[{"a":1},{"b":2}]}""", true)]
    [InlineData("""{"d":{"a":[{"exists":true}],"b":[{"exists":false}]}}""", """{"d":[{"a":1,"b":2}]}""", false)]
    [InlineData("""{"e":{"f":["Anna"],"ids":[{"exists":false}]}}""", """{"e":[[{"f":"John","ids":[1]},{"f":"Anna"}],[{"f":"Peter","ids":[]}]]}""", true)]
    [InlineData("""{"e":{"f":["Anna"],"ids":[1]}}""", """{"e":[[{"f":"John","ids":[1]},{"f":"Anna"}]]}""", false)]
    [InlineData("""{"e":{"f":["John"],"ids":[1]}}""", """{"e":[[{"f":"John","ids":[2,1]},{"f":"Anna"}]]}""", true)]
    public void Arrays_ChosenLeaves_AreConsistent(string pattern, string @event, bool expected)
        => Assert.Equal(expected, Match.One(pattern, @event));

    /// <summary>EventBridge checks an absence against the fields before it in name order, so the same
    /// event answers differently when the absent field's name sorts first.</summary>
    [Theory]
    [InlineData("""{"d":{"z":[{"exists":false}],"b":["x"]}}""", true)]
    [InlineData("""{"d":{"a":[{"exists":false}],"b":["x"]}}""", false)]
    public void ExistsFalse_InArrays_IsCheckedAgainstTheFieldsBeforeItInNameOrder(string pattern, bool expected)
    {
        var @event = pattern.Contains("\"z\"", StringComparison.Ordinal) ? """{"d":[{"z":1},{"b":"x"}]}""" : """{"d":[{"a":1},{"b":"x"}]}""";
        Assert.Equal(expected, Match.One(pattern, @event));
    }
}
