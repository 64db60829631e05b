using RemediationWorker.Audit;

namespace RemediationWorker.Tests.Audit;

public sealed class AuditQueryFilterTests
{
    [Fact]
    public void TryCreate_RepeatedAndCommaSeparatedDecisions_CollectsAllDecisions()
    {
        var ok = AuditQueryFilter.TryCreate(null, null, null, ["started,failed", " timed-out ", "started"], null, null, out var filter, out _);

        Assert.True(ok);
        Assert.Equal([AuditDecision.Started, AuditDecision.Failed, AuditDecision.TimedOut], filter!.Decisions!.Order());
    }

    [Fact]
    public void TryCreate_UnknownDecision_FailsListingValidNames()
    {
        var ok = AuditQueryFilter.TryCreate(null, null, null, ["Started"], null, null, out _, out var problem);

        Assert.False(ok);
        Assert.Contains("unknown decision 'Started'", problem);
        Assert.Contains("no-match", problem);
    }

    [Fact]
    public void TryCreate_TimeWithoutOffset_IsTakenAsUtc()
    {
        var ok = AuditQueryFilter.TryCreate(null, null, null, null, "2025-06-01T12:00:00", "2025-06-02", out var filter, out _);

        Assert.True(ok);
        Assert.Equal(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero), filter!.Since);
        Assert.Equal(new DateTimeOffset(2025, 6, 2, 0, 0, 0, TimeSpan.Zero), filter.Until);
    }

    [Fact]
    public void TryCreate_TimeWithOffset_KeepsTheInstant()
    {
        Assert.True(AuditQueryFilter.TryCreate(null, null, null, null, "2025-06-01T14:00:00+02:00", null, out var filter, out _));

        Assert.Equal(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero), filter!.Since);
    }

    [Theory]
    [InlineData("yesterday", null, "--since 'yesterday' is not an ISO-8601 time")]
    [InlineData(null, "2025-13-01", "--until '2025-13-01' is not an ISO-8601 time")]
    [InlineData("2025-06-02", "2025-06-01", "--since is later than --until")]
    public void TryCreate_BadTimeRange_Fails(string? since, string? until, string expected)
    {
        var ok = AuditQueryFilter.TryCreate(null, null, null, null, since, until, out _, out var problem);

        Assert.False(ok);
        Assert.StartsWith(expected, problem);
    }
}
