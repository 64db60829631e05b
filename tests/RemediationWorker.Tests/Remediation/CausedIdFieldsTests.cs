using System.Text;
using RemediationWorker.Remediation;
using RemediationWorker.Tests.TestSupport;

namespace RemediationWorker.Tests.Remediation;

public sealed class CausedIdFieldsTests
{
    [Theory]
    [InlineData("cfn-stack-update-rollback-failed.json", "Console-UpdateStack-7f59c3cf-00d2-40c7-b2ff-e75db0987002")]
    [InlineData("cfn-drift-detected.json", "4d6f2b80-6f1c-11ef-8a1b-06c3d2e1f0a9")]
    [InlineData("codebuild-failed-in-build.json", "web-frontend-ci:6c9d7a2f-3e5b-4d4c-8f9a-8b7c6d5e4f3a")]
    public void In_Samples_FindsTheIdsOurRunbooksCause(string sample, string expected)
    {
        Assert.Contains(expected, In(TestEvents.Sample(sample).ToJsonString()));
    }

    [Fact]
    public void In_EmptyToken_NoCandidate()
    {
        Assert.Empty(In(TestEvents.Sample("cfn-stack-create-complete.json").ToJsonString()));
    }

    [Fact]
    public void In_IdsComeInTheFieldsOrderWhateverTheMembersOrder()
    {
        const string json = """
            {"detail":{"build-id":"arn:aws:codebuild:eu-west-1:111122223333:build/p:1","x":{"client-request-token":"nested"},"client-request-token":"t-1"}}
            """;

        Assert.Equal(["t-1", "arn:aws:codebuild:eu-west-1:111122223333:build/p:1", "p:1"], In(json));
    }

    [Theory]
    [InlineData("""{"detail":"client-request-token"}""")]
    [InlineData("""{"detail":{"client-request-token":7,"build-id":null}}""")]
    [InlineData("""{"other":{"client-request-token":"t"},"detail":{}}""")]
    [InlineData("""[{"detail":{"client-request-token":"t"}}]""")]
    public void In_NoStringIdInTheDetailObject_None(string json)
    {
        Assert.Empty(In(json));
    }

    [Fact]
    public void In_EscapedMemberNamesAndValues_ReadAsTheirText()
    {
        Assert.Equal(["t/1"], In("""{"d\u0065tail":{"client-request-tok\u0065n":"t\/1"}}"""));
    }

    // Broken input (the intake refuses it earlier) gives no exception and no id.
    [Theory]
    [InlineData("{\"detail\":{\"client-request-tok\\u0065n\":\"t")]
    [InlineData("{\"detail\":{\"build-id\":\"a\\")]
    [InlineData("{\"detail\":{\"build-id")]
    [InlineData("{\"detail\"")]
    public void In_BrokenInput_NoIdAndNoException(string json)
    {
        Assert.Empty(In(json));
    }

    private static IReadOnlyList<string> In(string json) => CausedIdFields.In(Encoding.UTF8.GetBytes(json), 64);
}
