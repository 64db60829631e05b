namespace EventPatterns.Tests.Matching;

public sealed class StructureMatchingTests
{
    [Theory]
    [InlineData("""{"a":["x"],"b":["y"]}""", """{"a":"x","b":"y"}""", true)]
    [InlineData("""{"a":["x"],"b":["y"]}""", """{"a":"x"}""", false)]
    [InlineData("""{"d":{"s":{"t":["x"]}}}""", """{"d":{"s":{"t":"x"}}}""", true)]
    [InlineData("""{"d":{"s":["x"]}}""", """{"d":{"s":{"t":"x"}}}""", false)]
    [InlineData("""{"d.s":["x"]}""", """{"d":{"s":"x"}}""", true)]
    [InlineData("""{"d":{"s":["x"]}}""", """{"d.s":"x"}""", true)]
    [InlineData("""{"a":["x"]}""", """{"a":["y","x"]}""", true)]
    [InlineData("""{"a":["x"]}""", """{"a":[["y"],["x"]]}""", true)]
    [InlineData("""{"a":["x"]}""", """{"a":{"b":"x"}}""", false)]
    [InlineData("""{"a":["x"]}""", """{"a\u0062c":"z","a":"x"}""", true)]
    [InlineData("""{"ab":["x"]}""", """{"a\u0062":"x"}""", true)]
    public void Fields_AndAcrossFieldsOrWithinAList_MatchNestedAndFlattenedPaths(string pattern, string @event, bool expected)
        => Assert.Equal(expected, Match.One(pattern, @event));

    [Theory]
    [InlineData("""{"a":[{"exists":true}]}""", """{"a":null}""", true)]
    [InlineData("""{"a":[{"exists":true}]}""", """{"a":"x"}""", true)]
    [InlineData("""{"a":[{"exists":true}]}""", """{}""", false)]
    [InlineData("""{"a":[{"exists":true}]}""", """{"a":[]}""", false)]
    [InlineData("""{"a":[{"exists":true}]}""", """{"a":{"b":1}}""", false)]
    [InlineData("""{"a":[{"exists":false}]}""", """{}""", true)]
    [InlineData("""{"a":[{"exists":false}]}""", """{"a":[]}""", true)]
    [InlineData("""{"a":[{"exists":false}]}""", """{"a":{}}""", true)]
    [InlineData("""{"a":[{"exists":false}]}""", """{"a":{"b":1}}""", true)]
    [InlineData("""{"a":[{"exists":false}]}""", """{"a":null}""", false)]
    [InlineData("""{"a":[{"exists":false}]}""", """{"a":[1]}""", false)]
    [InlineData("""{"a":[{"exists":false},"1"]}""", """{"a":"1"}""", true)]
    [InlineData("""{"a":[{"exists":false},"1"]}""", """{"a":"2"}""", false)]
    [InlineData("""{"a":[{"exists":false}],"b":["x"]}""", """{"b":"x"}""", true)]
    public void Exists_OnLeavesObjectsAndArrays_FollowsEventBridge(string pattern, string @event, bool expected)
        => Assert.Equal(expected, Match.One(pattern, @event));

    [Theory]
    [InlineData("""{"$or":[{"a":["x"]},{"b":["y"]}]}""", """{"b":"y"}""", true)]
    [InlineData("""{"$or":[{"a":["x"]},{"b":["y"]}]}""", """{"c":"z"}""", false)]
    [InlineData("""{"c":["z"],"$or":[{"a":["x"]},{"b":["y"]}]}""", """{"a":"x"}""", false)]
    [InlineData("""{"c":["z"],"$or":[{"a":["x"]},{"b":["y"]}]}""", """{"a":"x","c":"z"}""", true)]
    [InlineData("""{"d":{"$or":[{"a":["x"]},{"$or":[{"b":["y"]},{"c":["z"]}]}]}}""", """{"d":{"c":"z"}}""", true)]
    [InlineData("""{"$or":[{"a":["x"]},{"a":["y"]}],"$or2":["q"]}""", """{"a":"y","$or2":"q"}""", true)]
    [InlineData("""{"$or":["x","y"]}""", """{"$or":"y"}""", true)]
    [InlineData("""{"$or":[{"numeric":[">",0]},{"prefix":"a"}]}""", """{"$or":"abc"}""", true)]
    public void Or_Branches_MatchAnyBranchAndFallBackToAFieldName(string pattern, string @event, bool expected)
        => Assert.Equal(expected, Match.One(pattern, @event));

    [Fact]
    public void Or_FieldInsideBranch_OverridesTheSameFieldBeside()
        => Assert.True(Match.One("""{"name":["a","b"],"$or":[{"name":[{"anything-but":"a"}]},{"other":["x"]}]}""", """{"name":"c"}"""));
}
