namespace EventPatterns.Tests.Parsing;

public sealed class GuaranteedFieldsTests
{
    [Fact]
    public void GuaranteedFields_PlainFields_AreAllGuaranteed()
    {
        var pattern = EventPattern.Parse("""{"source":["aws.codebuild"],"detail":{"project-name":[{"exists":true}],"build-status":["FAILED"]}}""");
        Assert.Equal(["detail.build-status", "detail.project-name", "source"], pattern.GuaranteedFields.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void GuaranteedFields_ExistsFalseAndOptionalValues_AreNotGuaranteed()
    {
        var pattern = EventPattern.Parse("""{"a":["x"],"b":[{"exists":false}],"c":[{"exists":false},"y"]}""");
        Assert.Equal(["a"], pattern.GuaranteedFields);
    }

    [Fact]
    public void GuaranteedFields_OrBranches_OnlyFieldsInEveryBranch()
    {
        var pattern = EventPattern.Parse("""{"s":["x"],"$or":[{"a":["1"],"b":["2"]},{"a":["3"]}]}""");
        Assert.Equal(["a", "s"], pattern.GuaranteedFields.Order(StringComparer.Ordinal));
    }
}
