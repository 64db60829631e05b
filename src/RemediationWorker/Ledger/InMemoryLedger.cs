namespace RemediationWorker.Ledger;

/// <summary>The ledger for one replica, local runs, replay and tests: everything under one lock. Entries are
/// forgotten once they can no longer change a decision, so memory follows the number of live resources,
/// not the number of events.</summary>
internal sealed class InMemoryLedger : ILedger
{
    private const int PruneEvery = 4096;

    private readonly Lock _gate = new();
    private readonly Dictionary<(string EventId, string PlaybookId), ClaimEntry> _claims = [];
    private readonly Dictionary<string, LeaseState> _leases = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Resource, string PlaybookId), AttemptEntry> _attempts = [];
    private readonly Dictionary<string, BreakerEntry> _breakers = new(StringComparer.Ordinal);
    private readonly Dictionary<(string EventId, string PlaybookId), SpentAttempt> _spentFrom = [];
    private readonly Dictionary<string, (CauseState Cause, DateTimeOffset Until)> _caused = new(StringComparer.Ordinal);
    private DateTimeOffset _minute = DateTimeOffset.MinValue;
    private int _startsThisMinute;
    private int _operations;

    public ValueTask<LedgerSnapshot> ReadAsync(LedgerKey key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(Snapshot(key, now));
        }
    }

    public ValueTask<StartConflict> TryStartAsync(StartRequest request, CancellationToken cancellationToken)
    {
        var (key, now, limits) = (request.Key, request.Now, request.Limits);
        lock (_gate)
        {
            PruneNowAndThen(now);
            var snapshot = Snapshot(key, now);
            var conflict =
                snapshot.Claim is { } claim ? (claim.IsSettled ? StartConflict.AlreadyClaimed : StartConflict.RunInProgress)
                : snapshot.Lease?.IsHeldAt(now) == true ? StartConflict.LeaseHeld
                : snapshot.Attempts.IsExhausted(now, limits.AttemptWindow, limits.MaxAttempts) ? StartConflict.BudgetExhausted
                : snapshot.Attempts.IsCoolingDown(now, limits.Cooldown) ? StartConflict.CoolingDown
                : snapshot.StartsThisMinute >= request.GlobalLimits.MaxStartsPerMinute ? StartConflict.RateLimited
                : snapshot.InFlight >= request.GlobalLimits.MaxInFlight ? StartConflict.InFlightLimited
                : !snapshot.Breaker.AllowsStartAt(now) ? StartConflict.BreakerOpen
                : StartConflict.None;
            if (conflict != StartConflict.None)
            {
                return ValueTask.FromResult(conflict);
            }

            _claims[(key.EventId, key.PlaybookId)] = new ClaimEntry(new ClaimState(request.Owner, request.LeaseUntil), request.ClaimUntil);
            _spentFrom[(key.EventId, key.PlaybookId)] = new SpentAttempt(request.Owner, _attempts.GetValueOrDefault((key.Resource, key.PlaybookId)));
            _leases[key.Resource] = new LeaseState(request.Owner, request.LeaseUntil);
            var attempts = snapshot.Attempts.Spend(now, limits.AttemptWindow);
            _attempts[(key.Resource, key.PlaybookId)] = new AttemptEntry(attempts, Latest(attempts.WindowStart + limits.AttemptWindow, now + limits.Cooldown));
            _startsThisMinute++;
            _breakers[key.PlaybookId] = new BreakerEntry(snapshot.Breaker.Started(now), request.LeaseUntil);
            return ValueTask.FromResult(StartConflict.None);
        }
    }

    public ValueTask<StartConflict> TryTakeOverAsync(TakeoverRequest request, CancellationToken cancellationToken)
    {
        var (key, now) = (request.Key, request.Now);
        lock (_gate)
        {
            var snapshot = Snapshot(key, now);
            var conflict =
                snapshot.Claim is not { } claim ? StartConflict.RunInProgress
                : claim.IsSettled ? StartConflict.AlreadyClaimed
                : claim.IsRunningAt(now) ? StartConflict.RunInProgress
                : snapshot.Lease?.IsHeldAt(now) == true ? StartConflict.LeaseHeld
                : snapshot.InFlight >= request.GlobalLimits.MaxInFlight ? StartConflict.InFlightLimited
                : StartConflict.None;
            if (conflict != StartConflict.None)
            {
                return ValueTask.FromResult(conflict);
            }

            var claimKey = (key.EventId, key.PlaybookId);
            _claims[claimKey] = _claims[claimKey] with { State = new ClaimState(request.Owner, request.LeaseUntil) };
            _leases[key.Resource] = new LeaseState(request.Owner, request.LeaseUntil);
            if (request.MarkTrial)
            {
                _breakers[key.PlaybookId] = new BreakerEntry(snapshot.Breaker.Started(now), request.LeaseUntil);
            }

            return ValueTask.FromResult(StartConflict.None);
        }
    }

    public ValueTask<OutcomeResult> RecordOutcomeAsync(OutcomeRequest request, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_leases.TryGetValue(request.Key.Resource, out var lease) && lease.Owner == request.Owner)
            {
                _leases.Remove(request.Key.Resource);
            }

            var claimKey = (request.Key.EventId, request.Key.PlaybookId);
            if (_claims.TryGetValue(claimKey, out var claim) && claim.State.Owner == request.Owner)
            {
                Settle(request, claimKey, claim);
            }

            if (request.ExecutionId is { } executionId)
            {
                foreach (var id in request.CausedIds)
                {
                    _caused[id] = (new CauseState(id, executionId, request.Key.PlaybookId), request.Now + CauseState.Retention);
                }
            }

            var breaker = BreakerAt(request.Key.PlaybookId, request.Now);
            var next = breaker.Finished(request.Outcome, request.Now, request.Breaker.FailureThreshold, request.Breaker.BreakDuration, out var opened);
            if (next == BreakerState.Closed)
            {
                _breakers.Remove(request.Key.PlaybookId);
            }
            else
            {
                _breakers[request.Key.PlaybookId] = new BreakerEntry(next, request.Now);
            }

            return ValueTask.FromResult(new OutcomeResult(opened, next.ConsecutiveFailures, next.OpenUntil));
        }
    }

    public ValueTask<bool> TryMarkEscalatedAsync(LedgerKey key, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var entryKey = (key.Resource, key.PlaybookId);
            var entry = _attempts.GetValueOrDefault(entryKey);
            var attempts = entry?.State ?? AttemptState.None;
            if (attempts.IsEscalatedAt(now))
            {
                return ValueTask.FromResult(false);
            }

            _attempts[entryKey] = new AttemptEntry(attempts with { EscalatedUntil = until }, Latest(entry?.ForgetAfter, until));
            return ValueTask.FromResult(true);
        }
    }

    public ValueTask MarkBreakerEscalatedAsync(string playbookId, DateTimeOffset openUntil, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_breakers.TryGetValue(playbookId, out var entry) && entry.State.OpenUntil == openUntil)
            {
                _breakers[playbookId] = entry with { State = entry.State with { EscalatedUntil = openUntil } };
            }

            return ValueTask.CompletedTask;
        }
    }

    /// <summary>What an outcome does to its owner's claim: a finished run settles it; a run not started gives back
    /// the claim and the attempt this owner spent (the redelivery tries again); a taken-over run handed back ends its
    /// lease now (the redelivery takes it over again).</summary>
    private void Settle(OutcomeRequest request, (string EventId, string PlaybookId) claimKey, ClaimEntry claim)
    {
        switch (request.Outcome)
        {
            case RunOutcome.NotStarted:
                _claims.Remove(claimKey);
                if (_spentFrom.Remove(claimKey, out var spent) && spent.Owner == request.Owner)
                {
                    GiveBack(request.Key, spent.Before);
                }

                break;
            case RunOutcome.HandedBack:
                _claims[claimKey] = claim with { State = claim.State with { RunningUntil = request.Now } };
                break;
            default:
                _claims[claimKey] = claim with { State = claim.State with { RunningUntil = null } };
                _spentFrom.Remove(claimKey);
                break;
        }
    }

    private void GiveBack(LedgerKey key, AttemptEntry? before)
    {
        if (before is null)
        {
            _attempts.Remove((key.Resource, key.PlaybookId));
        }
        else
        {
            _attempts[(key.Resource, key.PlaybookId)] = before;
        }
    }

    private LedgerSnapshot Snapshot(LedgerKey key, DateTimeOffset now)
    {
        var claim = _claims.TryGetValue((key.EventId, key.PlaybookId), out var entry) && now < entry.Until ? entry.State : null;
        var lease = _leases.GetValueOrDefault(key.Resource);
        var attempts = _attempts.GetValueOrDefault((key.Resource, key.PlaybookId))?.State ?? AttemptState.None;
        var minute = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerMinute), now.Offset);
        if (minute != _minute)
        {
            _minute = minute;
            _startsThisMinute = 0;
        }

        var inFlight = _leases.Values.Count(l => l.IsHeldAt(now));
        return new LedgerSnapshot(claim, lease, attempts, _startsThisMinute, inFlight, BreakerAt(key.PlaybookId, now)) { CausedBy = CauseOf(key, now) };
    }

    public bool KnowsNoCause
    {
        get
        {
            lock (_gate)
            {
                return _caused.Count == 0;
            }
        }
    }

    public ValueTask<CauseState?> FindCauseAsync(IReadOnlyList<string> causedIdCandidates, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(CauseOf(causedIdCandidates, now));
        }
    }

    private CauseState? CauseOf(LedgerKey key, DateTimeOffset now) => CauseOf(key.CausedIdCandidates ?? [], now);

    private CauseState? CauseOf(IReadOnlyList<string> candidates, DateTimeOffset now)
    {
        foreach (var id in candidates.Take(CauseState.MaxCandidates))
        {
            if (_caused.TryGetValue(id, out var entry) && now < entry.Until)
            {
                return entry.Cause;
            }
        }

        return null;
    }

    /// <summary>A playbook's breaker; its trial counts only until the trial's lease ends, so a trial whose run was
    /// abandoned ends with its lease (as <c>trialUntil</c> does in the DynamoDB ledger).</summary>
    private BreakerState BreakerAt(string playbookId, DateTimeOffset now)
        => _breakers.TryGetValue(playbookId, out var entry)
            ? entry.State.TrialInFlight && now >= entry.TrialUntil ? entry.State with { TrialInFlight = false } : entry.State
            : BreakerState.Closed;

    private void PruneNowAndThen(DateTimeOffset now)
    {
        if (++_operations % PruneEvery != 0)
        {
            return;
        }

        foreach (var claim in _claims.Where(c => c.Value.Until <= now).Select(c => c.Key).ToList())
        {
            _claims.Remove(claim);
            _spentFrom.Remove(claim);
        }

        foreach (var resource in _leases.Where(l => !l.Value.IsHeldAt(now)).Select(l => l.Key).ToList())
        {
            _leases.Remove(resource);
        }

        foreach (var entry in _attempts.Where(a => a.Value.ForgetAfter <= now).Select(a => a.Key).ToList())
        {
            _attempts.Remove(entry);
        }

        foreach (var id in _caused.Where(c => c.Value.Until <= now).Select(c => c.Key).ToList())
        {
            _caused.Remove(id);
        }
    }

    private static DateTimeOffset Latest(DateTimeOffset? a, DateTimeOffset? b)
        => (a ?? DateTimeOffset.MinValue) > (b ?? DateTimeOffset.MinValue) ? a!.Value : b ?? a ?? DateTimeOffset.MinValue;

    /// <summary>An attempt state and when it stops mattering (window, cooldown and escalation all passed).</summary>
    private sealed record AttemptEntry(AttemptState State, DateTimeOffset ForgetAfter);

    /// <summary>A breaker and when its trial's lease ends (it matters only while <see cref="BreakerState.TrialInFlight"/>).</summary>
    private sealed record BreakerEntry(BreakerState State, DateTimeOffset TrialUntil);

    /// <summary>A claim and when it ends (the idempotency window).</summary>
    private sealed record ClaimEntry(ClaimState State, DateTimeOffset Until);

    /// <summary>Who spent a claim's attempt and the state before it, to give back if that owner's run does not start.</summary>
    private sealed record SpentAttempt(string Owner, AttemptEntry? Before);
}
