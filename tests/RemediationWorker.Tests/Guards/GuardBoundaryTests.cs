using System.Text.Json.Nodes;
using RemediationWorker.Audit;
using RemediationWorker.Guards;
using RemediationWorker.Remediation;
using RemediationWorker.Tests.TestSupport;

namespace RemediationWorker.Tests.Guards;

/// <summary>Each guard's boundary, through the real processor on fake time. The rollback playbook has
/// cooldown 00:20:00, maxAttempts 2, attemptWindow 06:00:00.</summary>
public sealed class GuardBoundaryTests
{
    private static readonly DateTimeOffset T0 = WorkerFixture.Start;
    private static readonly TimeSpan Cooldown = TimeSpan.FromMinutes(20);
    private static readonly TimeSpan Window = TimeSpan.FromHours(6);

    [Fact]
    public async Task Cooldown_JustBeforeTheEdge_SkippedAndExactlyAtTheEdge_Allowed()
    {
        await using var worker = new WorkerFixture(TestConfiguration.Shipped());

        Assert.Equal(AuditDecision.Planned, (await At(worker, T0)).Decision);
        var early = await At(worker, T0 + Cooldown - TimeSpan.FromTicks(1));
        var onTime = await At(worker, T0 + Cooldown);

        Assert.Equal((AuditDecision.Skipped, GuardNames.Cooldown), (early.Decision, early.Guard));
        Assert.Equal("last attempt on " + TestEvents.OrdersStack + " at 2026-11-26T08:00:00Z; cooldown 00:20:00 ends at 2026-11-26T08:20:00Z", early.Reason);
        Assert.Equal(AuditDecision.Planned, onTime.Decision);
    }

    [Fact]
    public async Task AttemptBudget_AtMax_EscalatedOnceThenSkippedUntilTheWindowPasses()
    {
        await using var worker = new WorkerFixture(TestConfiguration.Shipped());

        Assert.Equal(AuditDecision.Planned, (await At(worker, T0)).Decision);
        Assert.Equal(AuditDecision.Planned, (await At(worker, T0 + Cooldown)).Decision);
        var exhausted = await At(worker, T0 + (2 * Cooldown));
        var again = await At(worker, T0 + TimeSpan.FromHours(1));
        var lastMoment = await At(worker, T0 + Window - TimeSpan.FromTicks(1));
        var windowPassed = await At(worker, T0 + Window);

        Assert.Equal((AuditDecision.Escalated, GuardNames.AttemptBudget), (exhausted.Decision, exhausted.Guard));
        Assert.Equal($"2 of 2 attempts on {TestEvents.OrdersStack} within 06:00:00 used; no automatic attempt before 2026-11-26T14:00:00Z", exhausted.Reason);
        Assert.Equal((AuditDecision.Skipped, GuardNames.AttemptBudget), (again.Decision, again.Guard));
        Assert.EndsWith("(already escalated)", again.Reason, StringComparison.Ordinal);
        Assert.Equal((AuditDecision.Skipped, GuardNames.AttemptBudget), (lastMoment.Decision, lastMoment.Guard));
        Assert.Equal(AuditDecision.Planned, windowPassed.Decision);
        Assert.Single(worker.Audit.Of(AuditDecision.Escalated));
    }

    [Fact]
    public async Task RateLimit_MaxStartsInOneMinute_NextDeferredUntilTheNextMinute()
    {
        await using var worker = new WorkerFixture(TestConfiguration.Edited(json => json["Remediation"]!["limits"]!["maxStartsPerMinute"] = 2));

        Assert.Equal(AuditDecision.Planned, (await At(worker, T0, TestEvents.StackArn("a"))).Decision);
        Assert.Equal(AuditDecision.Planned, (await At(worker, T0.AddSeconds(30), TestEvents.StackArn("b"))).Decision);
        var third = await At(worker, T0.AddMinutes(1).AddTicks(-1), TestEvents.StackArn("c"));
        var nextMinute = await At(worker, T0.AddMinutes(1), TestEvents.StackArn("d"));

        Assert.Equal((AuditDecision.Deferred, GuardNames.RateLimit), (third.Decision, third.Guard));
        Assert.Equal("2 runs already started this minute (limit 2)", third.Reason);
        Assert.Equal(T0.AddMinutes(1), third.RetryAt);
        Assert.Equal(AuditDecision.Planned, nextMinute.Decision);
    }

    [Fact]
    public async Task KillSwitch_On_DefersEvenDryRun()
    {
        await using var worker = new WorkerFixture(TestConfiguration.Edited(json => json["Remediation"]!["killSwitch"] = true));

        var verdict = await At(worker, T0);

        Assert.Equal((AuditDecision.Deferred, GuardNames.KillSwitch, T0 + KillSwitchGuard.Recheck), (verdict.Decision, verdict.Guard, verdict.RetryAt));
        Assert.Equal(T0 + KillSwitchGuard.Recheck, worker.Audit.Of(AuditDecision.Deferred).Single().RetryAt);
        Assert.Empty(worker.Audit.Of(AuditDecision.Planned));
    }

    [Theory]
    [InlineData("account", "444455556666", "account 444455556666 is not in allowedAccounts")]
    [InlineData("region", "ap-south-1", "region ap-south-1 is not in allowedRegions")]
    public async Task AllowList_EventOutsideTheList_Skipped(string field, string value, string reason)
    {
        await using var worker = new WorkerFixture(TestConfiguration.Shipped());
        var e = TestEvents.RollbackFailed(T0);
        e[field] = value;

        var verdict = Assert.Single((await worker.ProcessAsync(e)).Verdicts);

        Assert.Equal((AuditDecision.Skipped, GuardNames.AllowList, reason), (verdict.Decision, verdict.Guard, verdict.Reason));
    }

    [Fact]
    public async Task AllowList_SourceNotListed_Skipped()
    {
        await using var worker = new WorkerFixture(TestConfiguration.Edited(json => json["Remediation"]!["allowedSources"] = new JsonArray("aws.codebuild")));

        var verdict = await At(worker, T0);

        Assert.Equal((AuditDecision.Skipped, GuardNames.AllowList, "source aws.cloudformation is not in allowedSources"), (verdict.Decision, verdict.Guard, verdict.Reason));
    }

    [Fact]
    public async Task AllowList_Empty_AllowsAny()
    {
        await using var worker = new WorkerFixture(TestConfiguration.Edited(json => json["Remediation"]!["allowedAccounts"] = new JsonArray()));
        var e = TestEvents.RollbackFailed(T0);
        e["account"] = "444455556666";

        Assert.Equal(AuditDecision.Planned, Assert.Single((await worker.ProcessAsync(e)).Verdicts).Decision);
    }

    [Fact]
    public async Task Duplicate_SameEventAgain_SkippedAsAlreadyHandled()
    {
        await using var worker = new WorkerFixture(TestConfiguration.Shipped());
        var e = TestEvents.RollbackFailed(T0, id: "c4d5e6f7-0819-4a2b-8c3d-4e5f6a7b8c9d");

        await worker.ProcessAsync(e);
        worker.Time.Advance(TimeSpan.FromHours(1));
        var again = Assert.Single((await worker.ProcessAsync(e)).Verdicts);

        Assert.Equal((AuditDecision.Skipped, GuardNames.Duplicate), (again.Decision, again.Guard));
    }

    private static async Task<EventVerdict> At(WorkerFixture worker, DateTimeOffset time, string? stackId = null)
    {
        worker.Time.SetUtcNow(time);
        var result = await worker.ProcessAsync(TestEvents.RollbackFailed(time, stackId ?? TestEvents.OrdersStack));
        return Assert.Single(result.Verdicts);
    }
}
