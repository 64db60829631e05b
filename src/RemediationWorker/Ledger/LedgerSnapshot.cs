namespace RemediationWorker.Ledger;

/// <summary>Everything the guards read about one (event, playbook, resource), read in one round trip.
/// <see cref="Claim"/> is null when (event id, playbook id) is not claimed (or its claim expired).</summary>
internal sealed record LedgerSnapshot(
    ClaimState? Claim,
    LeaseState? Lease,
    AttemptState Attempts,
    int StartsThisMinute,
    int InFlight,
    BreakerState Breaker)
{
    /// <summary>The run of this worker that caused the event, when one of its candidate ids is a caused id.</summary>
    public CauseState? CausedBy { get; init; }
}
