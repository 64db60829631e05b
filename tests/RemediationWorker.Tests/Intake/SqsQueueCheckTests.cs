using RemediationWorker.Intake;

namespace RemediationWorker.Tests.Intake;

public sealed class SqsQueueCheckTests
{
    private const string Queue = "http://127.0.0.1:4566/000000000000/remediation-events";
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(61); // 1 h timeout + 1 min margin

    [Fact]
    public void ReceivesToSpan_DefaultBackOff_CoversTheLease()
    {
        // 30 + 60 + 120 + 240 + 480 + 900 + 900 + 900 + 900 s >= 61 min: the 10th receive comes after the lease.
        Assert.Equal(10, SqsQueueCheck.ReceivesToSpan(Lease, new SqsIntakeOptions()));
    }

    [Fact]
    public void Check_TheOldStackQueue_ReportsTheRedrivePolicy()
    {
        var problems = SqsQueueCheck.Check(Attributes(retention: 345600, maxReceiveCount: 5), Lease, new SqsIntakeOptions(), Queue);

        var problem = Assert.Single(problems);
        Assert.Contains("maxReceiveCount 5", problem, StringComparison.Ordinal);
        Assert.Contains("at least 10", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_TheStackQueue_Fits()
        => Assert.Empty(SqsQueueCheck.Check(Attributes(retention: 604800, maxReceiveCount: 20), Lease, new SqsIntakeOptions(), Queue));

    [Fact]
    public void Check_RetentionShorterThanALeaseAndADeferral_Reported()
    {
        var problem = Assert.Single(SqsQueueCheck.Check(Attributes(retention: 3600, maxReceiveCount: 20), Lease, new SqsIntakeOptions(), Queue));

        Assert.Contains("MessageRetentionPeriod 3600 s", problem, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Attributes(int retention, int maxReceiveCount) => new()
    {
        ["MessageRetentionPeriod"] = retention.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RedrivePolicy"] = $$"""{"deadLetterTargetArn":"arn:aws:sqs:eu-west-1:000000000000:dlq","maxReceiveCount":{{maxReceiveCount}}}""",
    };
}
