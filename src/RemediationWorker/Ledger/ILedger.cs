namespace RemediationWorker.Ledger;

/// <summary>The state shared by replicas: idempotency claims, leases, attempt budgets, global rate and
/// in-flight counts, breakers. Shaped for a store with conditional writes: an event that starts a run costs
/// three round trips (<see cref="ReadAsync"/>, <see cref="TryStartAsync"/>, <see cref="RecordOutcomeAsync"/>).
/// Implementations are thread-safe; every time comes from the caller's clock.</summary>
internal interface ILedger
{
    /// <summary>Reads what the guards need (one batched read).</summary>
    ValueTask<LedgerSnapshot> ReadAsync(LedgerKey key, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The run of ours that caused one of <paramref name="causedIdCandidates"/>, for an event that matched no
    /// playbook (a matched one learns it from <see cref="ReadAsync"/>); null when none did. One read.</summary>
    ValueTask<CauseState?> FindCauseAsync(IReadOnlyList<string> causedIdCandidates, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>True only when no run has recorded a caused id, so that <see cref="FindCauseAsync"/> would find nothing
    /// whatever it is asked (the in-memory ledger of a dry run, a replay): the event's ids need not be read. False when
    /// it cannot say without a read.</summary>
    bool KnowsNoCause { get; }

    /// <summary>Atomically: claims (event id, playbook id), takes the resource's lease, spends an attempt,
    /// counts a start in the current minute and an in-flight run, and marks a half-open breaker's trial —
    /// only if the claim is new, the lease free, the budget and cooldown allow, the minute and in-flight
    /// limits have room and the breaker allows; otherwise changes nothing and says which condition failed.</summary>
    ValueTask<StartConflict> TryStartAsync(StartRequest request, CancellationToken cancellationToken);

    /// <summary>Atomically: moves an abandoned claim (in progress, its lease run out) and the resource's lease to the
    /// request's owner — only if the claim is still abandoned and the resource's lease free and the in-flight limit
    /// has room; otherwise changes nothing and says which condition failed (<see cref="StartConflict.AlreadyClaimed"/>
    /// when the run was settled meanwhile, <see cref="StartConflict.RunInProgress"/> when another replica took it
    /// over first). Spends no attempt and counts no start: the run is the one already started. With
    /// <see cref="TakeoverRequest.MarkTrial"/> it also marks the half-open breaker's trial until the new lease ends,
    /// as a start does (not a condition).</summary>
    ValueTask<StartConflict> TryTakeOverAsync(TakeoverRequest request, CancellationToken cancellationToken);

    /// <summary>Releases the lease held by the request's owner, settles its claim (or gives it back, or ends its
    /// lease, for a run that did not finish) and feeds the breaker.</summary>
    ValueTask<OutcomeResult> RecordOutcomeAsync(OutcomeRequest request, CancellationToken cancellationToken);

    /// <summary>Marks an exhausted budget as escalated until <paramref name="until"/>; false when another
    /// handler already did (so one exhaustion escalates once).</summary>
    ValueTask<bool> TryMarkEscalatedAsync(LedgerKey key, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>Records that the breaker's opening until <paramref name="openUntil"/> was escalated (its OpsItem
    /// created), so <see cref="BreakerState.EscalationOwed"/> reads false; nothing when the breaker has opened again
    /// since (that opening is owed its own escalation).</summary>
    ValueTask MarkBreakerEscalatedAsync(string playbookId, DateTimeOffset openUntil, CancellationToken cancellationToken);
}
