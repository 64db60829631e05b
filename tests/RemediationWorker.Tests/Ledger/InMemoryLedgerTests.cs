using RemediationWorker.Ledger;
using RemediationWorker.Playbooks;

namespace RemediationWorker.Tests.Ledger;

/// <summary>The atomic start: a handler that lost a race after the guards read the state is refused.</summary>
public sealed class InMemoryLedgerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);
    private static readonly LimitsOptions Limits = new() { Cooldown = TimeSpan.FromMinutes(20), MaxAttempts = 2, AttemptWindow = TimeSpan.FromHours(6), Timeout = TimeSpan.FromMinutes(30) };
    private readonly InMemoryLedger _ledger = new();

    [Fact]
    public async Task TryStartAsync_TwoHandlersRaceForOneResource_SecondGetsLeaseHeld()
    {
        var first = await _ledger.TryStartAsync(Request("e1", "stack-a", T0), CancellationToken.None);
        var second = await _ledger.TryStartAsync(Request("e2", "stack-a", T0), CancellationToken.None);

        Assert.Equal(StartConflict.None, first);
        Assert.Equal(StartConflict.LeaseHeld, second);
    }

    [Fact]
    public async Task TryStartAsync_SameEventAndPlaybookAgain_AlreadyClaimed()
    {
        await _ledger.TryStartAsync(Request("e1", "stack-a", T0), CancellationToken.None);
        await _ledger.RecordOutcomeAsync(new OutcomeRequest(new LedgerKey("e1", "p", "stack-a"), "owner-e1", T0, RunOutcome.Succeeded, new BreakerOptions()), CancellationToken.None);

        Assert.Equal(StartConflict.AlreadyClaimed, await _ledger.TryStartAsync(Request("e1", "stack-a", T0.AddHours(1)), CancellationToken.None));
    }

    [Fact]
    public async Task TryStartAsync_LeaseExpired_ResourceFreeAgainExactlyAtExpiry()
    {
        await _ledger.TryStartAsync(Request("e1", "stack-a", T0), CancellationToken.None); // lease until T0+30m, owner never reports back

        var before = await _ledger.ReadAsync(new LedgerKey("e2", "p", "stack-a"), T0.AddMinutes(30).AddTicks(-1), CancellationToken.None);
        var at = await _ledger.ReadAsync(new LedgerKey("e2", "p", "stack-a"), T0.AddMinutes(30), CancellationToken.None);

        Assert.True(before.Lease!.IsHeldAt(T0.AddMinutes(30).AddTicks(-1)));
        Assert.Equal(1, before.InFlight);
        Assert.False(at.Lease!.IsHeldAt(T0.AddMinutes(30)));
        Assert.Equal(0, at.InFlight);
    }

    [Fact]
    public async Task RecordOutcomeAsync_OtherOwner_DoesNotReleaseTheLease()
    {
        await _ledger.TryStartAsync(Request("e1", "stack-a", T0), CancellationToken.None);

        await _ledger.RecordOutcomeAsync(new OutcomeRequest(new LedgerKey("e9", "p", "stack-a"), "someone-else", T0, RunOutcome.Succeeded, new BreakerOptions()), CancellationToken.None);

        Assert.Equal(StartConflict.LeaseHeld, await _ledger.TryStartAsync(Request("e2", "stack-a", T0), CancellationToken.None));
    }

    [Fact]
    public async Task TryMarkEscalatedAsync_Twice_OnlyFirstWins()
    {
        var key = new LedgerKey("e1", "p", "stack-a");

        Assert.True(await _ledger.TryMarkEscalatedAsync(key, T0, T0.AddHours(6), CancellationToken.None));
        Assert.False(await _ledger.TryMarkEscalatedAsync(key with { EventId = "e2" }, T0.AddMinutes(5), T0.AddHours(6), CancellationToken.None));
        Assert.True(await _ledger.TryMarkEscalatedAsync(key with { EventId = "e3" }, T0.AddHours(6), T0.AddHours(12), CancellationToken.None));
    }

    [Fact]
    public async Task TryStartAsync_ManyEventsOverDays_ForgetsWhatCanNoLongerMatter()
    {
        for (var i = 0; i < 10_000; i++)
        {
            var now = T0.AddMinutes(i * 30);
            Assert.Equal(StartConflict.None, await _ledger.TryStartAsync(Request($"e{i}", $"stack-{i}", now), CancellationToken.None));
            await _ledger.RecordOutcomeAsync(new OutcomeRequest(new LedgerKey($"e{i}", "p", $"stack-{i}"), $"owner-e{i}", now, RunOutcome.Planned, new BreakerOptions()), CancellationToken.None);
        }

        // Pruning is internal; its effect is visible as an old claim no longer blocking the same key.
        Assert.Equal(StartConflict.None, await _ledger.TryStartAsync(Request("e0", "stack-0", T0.AddDays(300)), CancellationToken.None));
    }

    private static StartRequest Request(string eventId, string resource, DateTimeOffset now)
        => new(new LedgerKey(eventId, "p", resource), $"owner-{eventId}", now, now + Limits.Timeout, now.AddHours(25), Limits, new GlobalLimitsOptions { MaxStartsPerMinute = 1000, MaxInFlight = 1000 });
}
