using RemediationWorker.Ledger;
using RemediationWorker.Playbooks;

namespace RemediationWorker.Tests.Ledger;

/// <summary>What only the in-memory ledger has: it forgets. The behaviour it shares with the DynamoDB ledger is
/// checked on both by the ledger contract (tests/RemediationWorker.IntegrationTests/Ledger).</summary>
public sealed class InMemoryLedgerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);
    private static readonly LimitsOptions Limits = new() { Cooldown = TimeSpan.FromMinutes(20), MaxAttempts = 2, AttemptWindow = TimeSpan.FromHours(6), Timeout = TimeSpan.FromMinutes(30) };
    private readonly InMemoryLedger _ledger = new();

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

    [Fact]
    public async Task KnowsNoCause_UntilARunRecordsCausedIds_AndAgainOnceTheyAreForgotten()
    {
        Assert.True(_ledger.KnowsNoCause); // a dry run or a replay: unmatched events' ids need not be read

        await _ledger.TryStartAsync(Request("e1", "stack-a", T0), CancellationToken.None);
        await _ledger.RecordOutcomeAsync(new OutcomeRequest(new LedgerKey("e1", "p", "stack-a"), "owner-e1", T0, RunOutcome.Succeeded, new BreakerOptions()) { ExecutionId = "x-1", CausedIds = ["token-1"] }, CancellationToken.None);
        Assert.False(_ledger.KnowsNoCause);

        for (var i = 0; i < 5_000; i++) // pruning runs now and then, as events come
        {
            var now = T0 + CauseState.Retention + TimeSpan.FromMinutes(i);
            await _ledger.TryStartAsync(Request($"f{i}", $"stack-{i}", now), CancellationToken.None);
        }

        Assert.True(_ledger.KnowsNoCause);
    }

    private static StartRequest Request(string eventId, string resource, DateTimeOffset now)
        => new(new LedgerKey(eventId, "p", resource), $"owner-{eventId}", now, now + Limits.Timeout, now.AddHours(25), Limits, new GlobalLimitsOptions { MaxStartsPerMinute = 1000, MaxInFlight = 1000 });
}
