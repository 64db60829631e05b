using RemediationWorker.Audit;
using RemediationWorker.Guards;
using RemediationWorker.Tests.TestSupport;

namespace RemediationWorker.Tests.Guards;

/// <summary>The allow-lists apply to what is acted on, not only to the envelope: an event from an allowed account
/// and region can name a stack in another.</summary>
public sealed class ArnAllowListTests
{
    [Theory]
    [InlineData("arn:aws:cloudformation:eu-west-1:999999999999:stack/orders/1c2d", "resource names account 999999999999, which is not in allowedAccounts")]
    [InlineData("arn:aws:cloudformation:ap-south-1:111122223333:stack/orders/1c2d", "resource names region ap-south-1, which is not in allowedRegions")]
    public async Task ProcessAsync_StackArnOutsideTheAllowLists_SkippedByAllowList(string stackId, string reason)
    {
        await using var worker = new WorkerFixture(TestConfiguration.Shipped());

        var result = await worker.ProcessAsync(TestEvents.RollbackFailed(WorkerFixture.Start, stackId));

        var verdict = Assert.Single(result.Verdicts);
        Assert.Equal(AuditDecision.Skipped, verdict.Decision);
        Assert.Equal(GuardNames.AllowList, verdict.Guard);
        Assert.Equal(reason, verdict.Reason);
    }

    [Fact]
    public async Task ProcessAsync_StackArnInsideTheAllowLists_PlannedWithTheGlobalRoleArnAllowed()
    {
        // The role parameter (arn:aws:iam::…, no region) names no region to check.
        await using var worker = new WorkerFixture(TestConfiguration.Shipped());

        var result = await worker.ProcessAsync(TestEvents.RollbackFailed(WorkerFixture.Start, TestEvents.StackArn("orders")));

        Assert.Equal(AuditDecision.Planned, Assert.Single(result.Verdicts).Decision);
    }

    [Theory]
    [InlineData("arn:aws:iam::111122223333:role/R", true, "", "111122223333")]
    [InlineData("arn:aws:s3:::bucket", true, "", "")]
    [InlineData("arn:aws-cn:codebuild:cn-north-1:111122223333:build/p:1", true, "cn-north-1", "111122223333")]
    [InlineData("my-project", false, "", "")]
    [InlineData("arn:aws", false, "", "")]
    public void TryParse_Forms(string text, bool isArn, string region, string account)
    {
        Assert.Equal(isArn, ArnText.TryParse(text, out var parsedRegion, out var parsedAccount));
        Assert.Equal(region, parsedRegion.ToString());
        Assert.Equal(account, parsedAccount.ToString());
    }
}
