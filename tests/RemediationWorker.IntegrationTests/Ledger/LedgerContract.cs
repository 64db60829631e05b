using RemediationWorker.Ledger;
using RemediationWorker.Playbooks;

namespace RemediationWorker.IntegrationTests.Ledger;

/// <summary>What every <see cref="ILedger"/> does, checked the same way for each store: the in-memory one and
/// the DynamoDB one on moto. Time always comes from the caller (explicit <c>now</c> values, no waiting).</summary>
public abstract class LedgerContract : GuardRuleContract
{
    protected static readonly DateTimeOffset T0 = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);

    internal static readonly LimitsOptions Limits = new() { Cooldown = TimeSpan.FromMinutes(20), MaxAttempts = 2, AttemptWindow = TimeSpan.FromHours(6), Timeout = TimeSpan.FromMinutes(30) };

    internal static readonly GlobalLimitsOptions Roomy = new() { MaxStartsPerMinute = 1000, MaxInFlight = 1000 };

    internal static readonly BreakerOptions Breaker = new() { FailureThreshold = 2, BreakDuration = TimeSpan.FromMinutes(30) };

    [Fact]
    public async Task TryStartAsync_TwoHandlersOneResource_SecondGetsLeaseHeld()
    {
        var ledger = await CreateAsync();

        Assert.Equal(StartConflict.None, await StartAsync(ledger, "e1", "stack-a", T0));
        Assert.Equal(StartConflict.LeaseHeld, await StartAsync(ledger, "e2", "stack-a", T0));
    }

    [Fact]
    public async Task TryStartAsync_SameEventAndPlaybookAgain_AlreadyClaimed()
    {
        var ledger = await CreateAsync();
        await StartAsync(ledger, "e1", "stack-a", T0);
        await FinishAsync(ledger, "e1", "stack-a", T0, RunOutcome.Succeeded);

        Assert.Equal(StartConflict.AlreadyClaimed, await StartAsync(ledger, "e1", "stack-a", T0.AddHours(1)));
        Assert.Equal(StartConflict.None, await StartAsync(ledger, "e1", "stack-a", T0.AddHours(25)));
    }

    [Fact]
    public async Task ReadAsync_AfterAStart_ShowsClaimLeaseAttemptMinuteAndInFlight()
    {
        var ledger = await CreateAsync();
        await StartAsync(ledger, "e1", "stack-a", T0);

        var snapshot = await ledger.ReadAsync(Key("e1", "stack-a"), T0.AddSeconds(5), CancellationToken.None);
        var other = await ledger.ReadAsync(Key("e2", "stack-b"), T0.AddSeconds(5), CancellationToken.None);

        Assert.Equal(new ClaimState("owner-e1", T0 + Limits.Timeout), snapshot.Claim);
        Assert.Equal(new LeaseState("owner-e1", T0 + Limits.Timeout), snapshot.Lease);
        Assert.Equal(new AttemptState(T0, 1, T0, null), snapshot.Attempts);
        Assert.Equal(1, snapshot.StartsThisMinute);
        Assert.Equal(1, snapshot.InFlight);
        Assert.Equal(BreakerState.Closed, snapshot.Breaker);
        Assert.Equal(new LedgerSnapshot(null, null, AttemptState.None, 1, 1, BreakerState.Closed), other);
    }

    [Fact]
    public async Task ReadAsync_LeaseExpired_ResourceFreeExactlyAtExpiry()
    {
        var ledger = await CreateAsync();
        await StartAsync(ledger, "e1", "stack-a", T0); // the owner never reports back

        var before = await ledger.ReadAsync(Key("e2", "stack-a"), T0.AddMinutes(30).AddMilliseconds(-1), CancellationToken.None);
        var at = await ledger.ReadAsync(Key("e2", "stack-a"), T0.AddMinutes(30), CancellationToken.None);

        Assert.True(before.Lease!.IsHeldAt(T0.AddMinutes(30).AddMilliseconds(-1)));
        Assert.Equal(1, before.InFlight);
        Assert.False(at.Lease!.IsHeldAt(T0.AddMinutes(30)));
        Assert.Equal(0, at.InFlight);
    }

    [Fact]
    public async Task TryStartAsync_LeaseOfAStoppedReplicaExpired_TakenOverByTheNextEvent()
    {
        var ledger = await CreateAsync();
        await StartAsync(ledger, "e1", "stack-a", T0); // the replica dies: no outcome

        Assert.Equal(StartConflict.LeaseHeld, await StartAsync(ledger, "e2", "stack-a", T0.AddMinutes(30).AddMilliseconds(-1)));
        Assert.Equal(StartConflict.None, await StartAsync(ledger, "e2", "stack-a", T0.AddMinutes(30)));
        var snapshot = await ledger.ReadAsync(Key("e3", "stack-a"), T0.AddMinutes(31), CancellationToken.None);
        Assert.Equal("owner-e2", snapshot.Lease!.Owner);
        Assert.Equal(1, snapshot.InFlight);
    }

    [Fact]
    public async Task RecordOutcomeAsync_OtherOwner_DoesNotReleaseTheLease()
    {
        var ledger = await CreateAsync();
        await StartAsync(ledger, "e1", "stack-a", T0);

        await ledger.RecordOutcomeAsync(new OutcomeRequest(Key("e9", "stack-a"), "someone-else", T0, RunOutcome.Succeeded, Breaker), CancellationToken.None);

        Assert.Equal(StartConflict.LeaseHeld, await StartAsync(ledger, "e2", "stack-a", T0));
    }

    [Fact]
    public async Task TryStartAsync_CooldownThenBudget_RefusedUntilEachEnds()
    {
        var ledger = await CreateAsync();
        await StartAsync(ledger, "e1", "stack-a", T0);
        await FinishAsync(ledger, "e1", "stack-a", T0.AddMinutes(1), RunOutcome.Planned);

        Assert.Equal(StartConflict.CoolingDown, await StartAsync(ledger, "e2", "stack-a", T0.AddMinutes(20).AddMilliseconds(-1)));
        Assert.Equal(StartConflict.None, await StartAsync(ledger, "e2", "stack-a", T0.AddMinutes(20)));
        await FinishAsync(ledger, "e2", "stack-a", T0.AddMinutes(21), RunOutcome.Planned);
        Assert.Equal(StartConflict.BudgetExhausted, await StartAsync(ledger, "e3", "stack-a", T0.AddHours(1)));
        Assert.Equal(StartConflict.None, await StartAsync(ledger, "e3", "stack-a", T0.AddHours(6)));
        Assert.Equal(new AttemptState(T0.AddHours(6), 1, T0.AddHours(6), null), (await ledger.ReadAsync(Key("e4", "stack-a"), T0.AddHours(6), CancellationToken.None)).Attempts);
    }

    [Fact]
    public async Task TryStartAsync_MinuteFull_RateLimitedUntilTheNextMinute()
    {
        var ledger = await CreateAsync();
        var limits = new GlobalLimitsOptions { MaxStartsPerMinute = 2, MaxInFlight = 1000 };

        Assert.Equal(StartConflict.None, await StartAsync(ledger, "e1", "stack-a", T0, limits));
        Assert.Equal(StartConflict.None, await StartAsync(ledger, "e2", "stack-b", T0.AddSeconds(30), limits));
        Assert.Equal(StartConflict.RateLimited, await StartAsync(ledger, "e3", "stack-c", T0.AddSeconds(59), limits));
        Assert.Equal(StartConflict.None, await StartAsync(ledger, "e3", "stack-c", T0.AddMinutes(1), limits));
    }

    [Fact]
    public async Task TryStartAsync_InFlightFull_RefusedUntilARunEndsOrItsLeaseExpires()
    {
        var ledger = await CreateAsync();
        var limits = new GlobalLimitsOptions { MaxStartsPerMinute = 1000, MaxInFlight = 2 };
        await StartAsync(ledger, "e1", "stack-a", T0, limits);
        await StartAsync(ledger, "e2", "stack-b", T0.AddMinutes(10), limits);

        Assert.Equal(StartConflict.InFlightLimited, await StartAsync(ledger, "e3", "stack-c", T0.AddMinutes(11), limits));
        await FinishAsync(ledger, "e2", "stack-b", T0.AddMinutes(12), RunOutcome.Succeeded);
        Assert.Equal(StartConflict.None, await StartAsync(ledger, "e3", "stack-c", T0.AddMinutes(13), limits));
        Assert.Equal(StartConflict.InFlightLimited, await StartAsync(ledger, "e4", "stack-d", T0.AddMinutes(14), limits));

        // e1's replica never reports back: its lease (30 min) ends and frees its slot.
        Assert.Equal(StartConflict.None, await StartAsync(ledger, "e4", "stack-d", T0.AddMinutes(30), limits));
        Assert.Equal(2, (await ledger.ReadAsync(Key("e5", "stack-e"), T0.AddMinutes(31), CancellationToken.None)).InFlight);
    }

    [Fact]
    public async Task RecordOutcomeAsync_FailuresReachTheThreshold_OpensThenOneTrialThenCloses()
    {
        var ledger = await CreateAsync();
        await StartAsync(ledger, "e1", "stack-a", T0);
        await StartAsync(ledger, "e2", "stack-b", T0);

        var first = await FinishAsync(ledger, "e1", "stack-a", T0.AddMinutes(1), RunOutcome.Failed);
        var second = await FinishAsync(ledger, "e2", "stack-b", T0.AddMinutes(2), RunOutcome.TimedOut);

        Assert.False(first.BreakerOpened);
        Assert.Equal(new OutcomeResult(true, 2, T0.AddMinutes(32)), second);
        Assert.Equal(StartConflict.BreakerOpen, await StartAsync(ledger, "e3", "stack-c", T0.AddMinutes(31)));
        Assert.Equal(StartConflict.None, await StartAsync(ledger, "e3", "stack-c", T0.AddMinutes(32)));
        Assert.Equal(StartConflict.BreakerOpen, await StartAsync(ledger, "e4", "stack-d", T0.AddMinutes(33)));
        Assert.Equal(new BreakerState(2, T0.AddMinutes(32), true), (await ledger.ReadAsync(Key("e4", "stack-d"), T0.AddMinutes(33), CancellationToken.None)).Breaker);

        await FinishAsync(ledger, "e3", "stack-c", T0.AddMinutes(34), RunOutcome.Succeeded);
        Assert.Equal(BreakerState.Closed, (await ledger.ReadAsync(Key("e4", "stack-d"), T0.AddMinutes(35), CancellationToken.None)).Breaker);
        Assert.Equal(StartConflict.None, await StartAsync(ledger, "e4", "stack-d", T0.AddMinutes(35)));
    }

    [Fact]
    public async Task RecordOutcomeAsync_TrialFails_ReopensTheBreaker()
    {
        var ledger = await CreateAsync();
        for (var i = 1; i <= 2; i++)
        {
            await StartAsync(ledger, $"e{i}", $"stack-{i}", T0);
            await FinishAsync(ledger, $"e{i}", $"stack-{i}", T0, RunOutcome.Failed);
        }

        await StartAsync(ledger, "e3", "stack-3", T0.AddMinutes(30));
        var reopened = await FinishAsync(ledger, "e3", "stack-3", T0.AddMinutes(31), RunOutcome.Failed);

        Assert.Equal(new OutcomeResult(true, 3, T0.AddMinutes(61)), reopened);
        Assert.Equal(StartConflict.BreakerOpen, await StartAsync(ledger, "e4", "stack-4", T0.AddMinutes(60)));
    }

    [Fact]
    public async Task MarkBreakerEscalatedAsync_TheOpeningEscalated_NoLongerOwedUntilTheBreakerOpensAgain()
    {
        var ledger = await CreateAsync();
        for (var i = 1; i <= 2; i++)
        {
            await StartAsync(ledger, $"e{i}", $"stack-{i}", T0);
            await FinishAsync(ledger, $"e{i}", $"stack-{i}", T0, RunOutcome.Failed);
        }

        async Task<BreakerState> BreakerAt(DateTimeOffset now) => (await ledger.ReadAsync(Key("e9", "stack-9"), now, CancellationToken.None)).Breaker;
        Assert.True((await BreakerAt(T0.AddMinutes(1))).EscalationOwed);

        await ledger.MarkBreakerEscalatedAsync("p", T0.AddMinutes(30), CancellationToken.None);
        Assert.False((await BreakerAt(T0.AddMinutes(1))).EscalationOwed);

        await StartAsync(ledger, "e3", "stack-3", T0.AddMinutes(30));
        await FinishAsync(ledger, "e3", "stack-3", T0.AddMinutes(31), RunOutcome.Failed); // the trial fails: open until 61
        await ledger.MarkBreakerEscalatedAsync("p", T0.AddMinutes(30), CancellationToken.None); // the earlier opening's mark
        Assert.True((await BreakerAt(T0.AddMinutes(32))).EscalationOwed);
    }

    [Fact]
    public async Task RecordOutcomeAsync_NotStarted_GivesBackTheClaimAndTheAttempt()
    {
        var ledger = await CreateAsync();
        await StartAsync(ledger, "e1", "stack-a", T0);
        await FinishAsync(ledger, "e1", "stack-a", T0.AddMinutes(1), RunOutcome.Planned);
        await StartAsync(ledger, "e2", "stack-a", T0.AddMinutes(20));

        await FinishAsync(ledger, "e2", "stack-a", T0.AddMinutes(21), RunOutcome.NotStarted);

        var snapshot = await ledger.ReadAsync(Key("e2", "stack-a"), T0.AddMinutes(22), CancellationToken.None);
        Assert.Null(snapshot.Claim);
        Assert.Null(snapshot.Lease);
        Assert.Equal(new AttemptState(T0, 1, T0, null), snapshot.Attempts);
        Assert.Equal(StartConflict.None, await StartAsync(ledger, "e2", "stack-a", T0.AddMinutes(22)));
    }

    [Fact]
    public async Task TryMarkEscalatedAsync_Twice_OnlyFirstWinsUntilItEnds()
    {
        var ledger = await CreateAsync();
        var key = Key("e1", "stack-a");

        Assert.True(await ledger.TryMarkEscalatedAsync(key, T0, T0.AddHours(6), CancellationToken.None));
        Assert.False(await ledger.TryMarkEscalatedAsync(key with { EventId = "e2" }, T0.AddMinutes(5), T0.AddHours(6), CancellationToken.None));
        Assert.True(await ledger.TryMarkEscalatedAsync(key with { EventId = "e3" }, T0.AddHours(6), T0.AddHours(12), CancellationToken.None));
        Assert.Equal(T0.AddHours(12), (await ledger.ReadAsync(key, T0.AddHours(6), CancellationToken.None)).Attempts.EscalatedUntil);
    }

    [Fact]
    public async Task TryStartAsync_ParallelHandlersOneResource_ExactlyOneWins()
    {
        var ledger = await CreateAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => StartAsync(ledger, $"e{i}", "stack-a", T0).AsTask()));

        Assert.Single(results, StartConflict.None);
        Assert.All(results.Where(r => r != StartConflict.None), r => Assert.Equal(StartConflict.LeaseHeld, r));
    }

    [Fact]
    public async Task TryStartAsync_ParallelRedeliveriesOfOneEvent_ExactlyOneClaims()
    {
        var ledger = await CreateAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => StartAsync(ledger, "e1", "stack-a", T0).AsTask()));

        // The winner's run is in progress: the others wait for it (a duplicate only once it is settled).
        Assert.Single(results, StartConflict.None);
        Assert.All(results.Where(r => r != StartConflict.None), r => Assert.Equal(StartConflict.RunInProgress, r));
    }

    [Fact]
    public async Task TryStartAsync_ParallelHandlersForTheLastAttempt_SpendItOnce()
    {
        var ledger = await CreateAsync();
        var limits = new LimitsOptions { Cooldown = TimeSpan.Zero, MaxAttempts = 2, AttemptWindow = TimeSpan.FromHours(6), Timeout = TimeSpan.FromMinutes(30) };
        await StartAsync(ledger, "e0", "stack-a", T0, Roomy, limits);
        await FinishAsync(ledger, "e0", "stack-a", T0, RunOutcome.Planned);

        var results = await Task.WhenAll(Enumerable.Range(1, 8).Select(async i =>
        {
            var conflict = await StartAsync(ledger, $"e{i}", "stack-a", T0.AddMinutes(1), Roomy, limits);
            if (conflict == StartConflict.None)
            {
                await FinishAsync(ledger, $"e{i}", "stack-a", T0.AddMinutes(1), RunOutcome.Planned); // frees the lease at once
            }

            return conflict;
        }));

        Assert.Single(results, StartConflict.None);
        Assert.Equal(2, (await ledger.ReadAsync(Key("e9", "stack-a"), T0.AddMinutes(2), CancellationToken.None)).Attempts.Count);
    }

    [Fact]
    public async Task ReadAsync_ClaimOfARun_InProgressUntilItsLeaseEndsSettledByItsOutcome()
    {
        var ledger = await CreateAsync();
        await StartAsync(ledger, "e1", "stack-a", T0);
        await StartAsync(ledger, "e2", "stack-b", T0);
        await FinishAsync(ledger, "e2", "stack-b", T0.AddMinutes(1), RunOutcome.Succeeded);

        var running = (await ledger.ReadAsync(Key("e1", "stack-a"), T0.AddMinutes(30).AddMilliseconds(-1), CancellationToken.None)).Claim!;
        var abandoned = (await ledger.ReadAsync(Key("e1", "stack-a"), T0.AddMinutes(30), CancellationToken.None)).Claim!;
        var settled = (await ledger.ReadAsync(Key("e2", "stack-b"), T0.AddMinutes(2), CancellationToken.None)).Claim!;

        Assert.True(running.IsRunningAt(T0.AddMinutes(30).AddMilliseconds(-1)));
        Assert.True(abandoned.IsAbandonedAt(T0.AddMinutes(30)));
        Assert.Equal(new ClaimState("owner-e2", null), settled);
    }

    [Fact]
    public async Task TryTakeOverAsync_HolderLeaseLive_RunInProgressForTakeoverAndRedelivery()
    {
        var ledger = await CreateAsync();
        await StartAsync(ledger, "e1", "stack-a", T0);

        Assert.Equal(StartConflict.RunInProgress, await TakeOverAsync(ledger, "e1", "stack-a", "replica-b", T0.AddMinutes(30).AddMilliseconds(-1)));
        Assert.Equal(StartConflict.RunInProgress, await StartAsync(ledger, "e1", "stack-a", T0.AddMinutes(1)));
        Assert.Equal("owner-e1", (await ledger.ReadAsync(Key("e1", "stack-a"), T0.AddMinutes(1), CancellationToken.None)).Claim!.Owner);
    }

    [Fact]
    public async Task TryTakeOverAsync_ParallelReplicasAfterTheLeaseExpired_ExactlyOneTakesOverWithoutSpendingOrCounting()
    {
        var ledger = await CreateAsync();
        await StartAsync(ledger, "e1", "stack-a", T0); // the replica dies mid-run
        var at = T0.AddMinutes(30);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => TakeOverAsync(ledger, "e1", "stack-a", $"replica-{i}", at).AsTask()));

        var winner = $"replica-{Array.IndexOf(results, StartConflict.None)}";
        Assert.Single(results, StartConflict.None);
        Assert.All(results.Where(r => r != StartConflict.None), r => Assert.Equal(StartConflict.RunInProgress, r));
        var snapshot = await ledger.ReadAsync(Key("e1", "stack-a"), at, CancellationToken.None);
        Assert.Equal(new ClaimState(winner, at + Limits.Timeout), snapshot.Claim);
        Assert.Equal(new LeaseState(winner, at + Limits.Timeout), snapshot.Lease);
        Assert.Equal(new AttemptState(T0, 1, T0, null), snapshot.Attempts); // no second attempt
        Assert.Equal(0, snapshot.StartsThisMinute); // no start counted in the takeover's minute
        Assert.Equal(1, snapshot.InFlight);
    }

    [Fact]
    public async Task TryTakeOverAsync_AfterTheOutcome_AlreadyClaimed()
    {
        var ledger = await CreateAsync();
        await StartAsync(ledger, "e1", "stack-a", T0);
        await TakeOverAsync(ledger, "e1", "stack-a", "replica-b", T0.AddMinutes(30));
        await FinishAsync(ledger, "e1", "stack-a", T0.AddMinutes(35), RunOutcome.Succeeded, owner: "replica-b");

        var snapshot = await ledger.ReadAsync(Key("e1", "stack-a"), T0.AddHours(2), CancellationToken.None);
        Assert.Equal(new ClaimState("replica-b", null), snapshot.Claim);
        Assert.Null(snapshot.Lease);
        Assert.Equal(StartConflict.AlreadyClaimed, await TakeOverAsync(ledger, "e1", "stack-a", "replica-c", T0.AddHours(2)));
        Assert.Equal(StartConflict.AlreadyClaimed, await StartAsync(ledger, "e1", "stack-a", T0.AddHours(2)));
    }

    [Fact]
    public async Task TryTakeOverAsync_ResourceLeasedByANewerRunOrInFlightFull_Refused()
    {
        var ledger = await CreateAsync();
        var one = new GlobalLimitsOptions { MaxStartsPerMinute = 1000, MaxInFlight = 1 };
        var two = new GlobalLimitsOptions { MaxStartsPerMinute = 1000, MaxInFlight = 2 };
        await StartAsync(ledger, "e1", "stack-a", T0, one); // dies
        await StartAsync(ledger, "e2", "stack-b", T0, two); // dies
        var at = T0.AddMinutes(30);
        await StartAsync(ledger, "e3", "stack-a", at, two);

        Assert.Equal(StartConflict.LeaseHeld, await TakeOverAsync(ledger, "e1", "stack-a", "replica-b", at, one));
        Assert.Equal(StartConflict.InFlightLimited, await TakeOverAsync(ledger, "e2", "stack-b", "replica-b", at, one));
        Assert.Equal(StartConflict.None, await TakeOverAsync(ledger, "e2", "stack-b", "replica-b", at, two));
    }

    [Fact]
    public async Task RecordOutcomeAsync_TakenOverRunHandedBack_TheNextReplicaTakesOverAtOnce()
    {
        var ledger = await CreateAsync();
        await StartAsync(ledger, "e1", "stack-a", T0);
        await TakeOverAsync(ledger, "e1", "stack-a", "replica-b", T0.AddMinutes(30));

        await FinishAsync(ledger, "e1", "stack-a", T0.AddMinutes(31), RunOutcome.HandedBack, owner: "replica-b");

        var snapshot = await ledger.ReadAsync(Key("e1", "stack-a"), T0.AddMinutes(31), CancellationToken.None);
        Assert.Equal(new ClaimState("replica-b", T0.AddMinutes(31)), snapshot.Claim);
        Assert.Null(snapshot.Lease);
        Assert.Equal(new AttemptState(T0, 1, T0, null), snapshot.Attempts); // the original start's attempt stays spent
        Assert.Equal(StartConflict.None, await TakeOverAsync(ledger, "e1", "stack-a", "replica-c", T0.AddMinutes(31)));
    }

    [Fact]
    public async Task TryTakeOverAsync_TrialOfAHalfOpenBreaker_MarkedUntilTheNewLeaseEnds()
    {
        var ledger = await CreateAsync();
        for (var i = 1; i <= 2; i++)
        {
            await StartAsync(ledger, $"e{i}", $"stack-{i}", T0);
            await FinishAsync(ledger, $"e{i}", $"stack-{i}", T0, RunOutcome.Failed); // open until T0 + 30 min
        }

        var halfOpen = T0.AddMinutes(30);
        Assert.Equal(StartConflict.None, await StartAsync(ledger, "e3", "stack-3", halfOpen)); // the trial; its replica dies
        var takenOver = halfOpen + Limits.Timeout; // the trial's lease ends: so does its mark
        Assert.Equal(StartConflict.None, await TakeOverAsync(ledger, "e3", "stack-3", "replica-b", takenOver, markTrial: true));

        Assert.Equal(StartConflict.BreakerOpen, await StartAsync(ledger, "e4", "stack-4", takenOver.AddMinutes(1)));
        Assert.Equal(new BreakerState(2, halfOpen, true), (await ledger.ReadAsync(Key("e4", "stack-4"), takenOver.AddMinutes(1), CancellationToken.None)).Breaker);

        // replica-b dies too: the renewed mark ends with its lease, and the next trial may start.
        var renewedEnd = takenOver + Limits.Timeout;
        Assert.Equal(StartConflict.BreakerOpen, await StartAsync(ledger, "e4", "stack-4", renewedEnd.AddMilliseconds(-1)));
        Assert.Equal(StartConflict.None, await StartAsync(ledger, "e4", "stack-4", renewedEnd));
    }

    [Fact]
    public async Task TryTakeOverAsync_WithoutTheTrialMark_LeavesTheBreakerAsItWas()
    {
        var ledger = await CreateAsync();
        await StartAsync(ledger, "e3", "stack-3", T0); // started before the breaker opened, its replica dies
        for (var i = 1; i <= 2; i++)
        {
            await StartAsync(ledger, $"e{i}", $"stack-{i}", T0);
            await FinishAsync(ledger, $"e{i}", $"stack-{i}", T0, RunOutcome.Failed); // open until T0 + 30 min
        }

        Assert.Equal(StartConflict.None, await TakeOverAsync(ledger, "e3", "stack-3", "replica-b", T0.AddMinutes(30)));

        Assert.Equal(new BreakerState(2, T0.AddMinutes(30), false), (await ledger.ReadAsync(Key("e4", "stack-4"), T0.AddMinutes(30), CancellationToken.None)).Breaker);
        Assert.Equal(StartConflict.None, await StartAsync(ledger, "e4", "stack-4", T0.AddMinutes(30)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RecordOutcomeAsync_CausedIds_AnEventCarryingOneFindsTheRunUntilTheRetentionEnds(bool succeeded)
    {
        var outcome = succeeded ? RunOutcome.Succeeded : RunOutcome.Failed;
        const string Execution = "5f6c1e2a-0b4d-4c8e-9a7f-3d2b1c0e9f88";
        const string Token = "RemediationWorker-5f6c1e2a-0b4d-4c8e-9a7f-3d2b1c0e9f88-1";
        var ledger = await CreateAsync();
        await StartAsync(ledger, "e1", "stack-a", T0);
        await ledger.RecordOutcomeAsync(
            new OutcomeRequest(Key("e1", "stack-a"), "owner-e1", T0.AddMinutes(5), outcome, Breaker) { ExecutionId = Execution, CausedIds = [Token, "4d6f2b80-6f1c-11ef-8a1b-06c3d2e1f0a9"] },
            CancellationToken.None);

        Assert.False(ledger.KnowsNoCause); // an unmatched event's ids must now be read and looked up

        var caused = Key("e2", "stack-a") with { CausedIdCandidates = ["Console-UpdateStack-0001", Token] };
        var found = await ledger.ReadAsync(caused, T0.AddMinutes(6), CancellationToken.None);
        var notOurs = await ledger.ReadAsync(Key("e2", "stack-a") with { CausedIdCandidates = ["RemediationWorker-11111111-2222-3333-4444-555555555555-1"] }, T0.AddMinutes(6), CancellationToken.None);
        var expired = await ledger.ReadAsync(caused, T0.AddMinutes(5) + CauseState.Retention, CancellationToken.None);

        Assert.Equal(new CauseState(Token, Execution, "p"), found.CausedBy);
        Assert.Null(notOurs.CausedBy);
        Assert.Null(expired.CausedBy);

        // An event no playbook matches asks for the cause alone (its records carry causedBy).
        Assert.Equal(new CauseState(Token, Execution, "p"), await ledger.FindCauseAsync(["Console-UpdateStack-0001", Token], T0.AddMinutes(6), CancellationToken.None));
        Assert.Null(await ledger.FindCauseAsync(["RemediationWorker-11111111-2222-3333-4444-555555555555-1"], T0.AddMinutes(6), CancellationToken.None));
        Assert.Null(await ledger.FindCauseAsync([Token], T0.AddMinutes(5) + CauseState.Retention, CancellationToken.None));
        Assert.Null(await ledger.FindCauseAsync([], T0.AddMinutes(6), CancellationToken.None));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RecordOutcomeAsync_RefusedOrPartiallyFixed_SettlesTheRunAndNeverCountsForTheBreaker(bool refused)
    {
        var outcome = refused ? RunOutcome.Refused : RunOutcome.PartiallyFixed;
        var ledger = await CreateAsync();
        for (var i = 1; i <= 3; i++)
        {
            await StartAsync(ledger, $"e{i}", $"stack-{i}", T0);
            var result = await FinishAsync(ledger, $"e{i}", $"stack-{i}", T0, outcome);
            Assert.False(result.BreakerOpened);
        }

        var snapshot = await ledger.ReadAsync(Key("e1", "stack-1"), T0.AddMinutes(1), CancellationToken.None);
        Assert.Equal(BreakerState.Closed, snapshot.Breaker);
        Assert.True(snapshot.Claim!.IsSettled);
        Assert.Null(snapshot.Lease);
        Assert.Equal(StartConflict.None, await StartAsync(ledger, "e4", "stack-4", T0.AddMinutes(1)));
    }

    private protected static LedgerKey Key(string eventId, string resource) => new(eventId, "p", resource);

    private protected static ValueTask<StartConflict> TakeOverAsync(ILedger ledger, string eventId, string resource, string owner, DateTimeOffset now, GlobalLimitsOptions? global = null, bool markTrial = false)
        => ledger.TryTakeOverAsync(new TakeoverRequest(Key(eventId, resource), owner, now, now + Limits.Timeout, global ?? Roomy) { MarkTrial = markTrial }, CancellationToken.None);

    private protected static ValueTask<StartConflict> StartAsync(ILedger ledger, string eventId, string resource, DateTimeOffset now, GlobalLimitsOptions? global = null, LimitsOptions? limits = null)
    {
        limits ??= Limits;
        return ledger.TryStartAsync(new StartRequest(Key(eventId, resource), $"owner-{eventId}", now, now + limits.Timeout, now.AddHours(25), limits, global ?? Roomy), CancellationToken.None);
    }

    private protected static ValueTask<OutcomeResult> FinishAsync(ILedger ledger, string eventId, string resource, DateTimeOffset now, RunOutcome outcome, string? owner = null)
        => ledger.RecordOutcomeAsync(new OutcomeRequest(Key(eventId, resource), owner ?? $"owner-{eventId}", now, outcome, Breaker), CancellationToken.None);
}
