namespace RemediationWorker.Ledger;

/// <summary>The state shared by replicas: idempotency claims, leases, attempt budgets, global rate and
/// in-flight counts, breakers. Shaped for a store with conditional writes: an event that starts a run costs
/// three round trips (<see cref="ReadAsync"/>, <see cref="TryStartAsync"/>, <see cref="RecordOutcomeAsync"/>).
/// Implementations are thread-safe; every time comes from the caller's clock.</summary>
internal interface ILedger
{
    /// <summary>Reads what the guards need (one batched read).</summary>
    ValueTask<LedgerSnapshot> ReadAsync(LedgerKey key, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Atomically: claims (event id, playbook id), takes the resource's lease, spends an attempt,
    /// counts a start in the current minute and an in-flight run, and marks a half-open breaker's trial —
    /// only if the claim is new, the lease free, the budget and cooldown allow, the minute and in-flight
    /// limits have room and the breaker allows; otherwise changes nothing and says which condition failed.</summary>
    ValueTask<StartConflict> TryStartAsync(StartRequest request, CancellationToken cancellationToken);

    /// <summary>Releases the lease held by the request's owner and feeds the breaker.</summary>
    ValueTask<OutcomeResult> RecordOutcomeAsync(OutcomeRequest request, CancellationToken cancellationToken);

    /// <summary>Marks an exhausted budget as escalated until <paramref name="until"/>; false when another
    /// handler already did (so one exhaustion escalates once).</summary>
    ValueTask<bool> TryMarkEscalatedAsync(LedgerKey key, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken);
}
