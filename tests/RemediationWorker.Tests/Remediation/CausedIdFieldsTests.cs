using System.Text.Json;
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
        using var document = JsonDocument.Parse(TestEvents.Sample(sample).ToJsonString());

        Assert.Contains(expected, CausedIdFields.In(document.RootElement));
    }

    [Fact]
    public void In_EmptyToken_NoCandidate()
    {
        using var document = JsonDocument.Parse(TestEvents.Sample("cfn-stack-create-complete.json").ToJsonString());

        Assert.Empty(CausedIdFields.In(document.RootElement));
    }
}
