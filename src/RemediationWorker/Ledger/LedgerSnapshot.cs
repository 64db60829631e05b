namespace RemediationWorker.Ledger;

/// <summary>Everything the guards read about one (event, playbook, resource), read in one round trip.</summary>
internal sealed record LedgerSnapshot(
    bool AlreadyClaimed,
    LeaseState? Lease,
    AttemptState Attempts,
    int StartsThisMinute,
    int InFlight,
    BreakerState Breaker);
