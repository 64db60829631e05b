using RemediationWorker.Execution;

namespace RemediationWorker.Tests.Execution;

public sealed class ClientTokensTests
{
    [Fact]
    public void For_SameEventAndPlaybook_SameUuid()
        => Assert.Equal(ClientTokens.For("e-1", "p-1"), ClientTokens.For("e-1", "p-1"));

    [Fact]
    public void For_OtherPlaybookOrEvent_OtherUuid()
    {
        Assert.NotEqual(ClientTokens.For("e-1", "p-1"), ClientTokens.For("e-1", "p-2"));
        Assert.NotEqual(ClientTokens.For("e-1", "p-1"), ClientTokens.For("e-2", "p-1"));
        Assert.NotEqual(ClientTokens.For("a|b", "c"), ClientTokens.For("a", "b|c"));
    }

    [Fact]
    public void For_AnyInput_IsVersion5UuidInSsmFormat()
    {
        var token = ClientTokens.For("6a7e8feb-b491-4cf7-a9f1-bf3703467718", "stack-rollback-failed");

        Assert.Matches("^[a-f0-9]{8}-[a-f0-9]{4}-5[a-f0-9]{3}-[89ab][a-f0-9]{3}-[a-f0-9]{12}$", token);
    }
}
