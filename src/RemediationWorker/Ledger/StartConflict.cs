namespace RemediationWorker.Ledger;

/// <summary>Why <see cref="ILedger.TryStartAsync"/> refused: the condition that failed, in guard order.
/// Normally the guards have seen it already; a conflict here means another handler won a race.</summary>
internal enum StartConflict
{
    None,

    /// <summary>(event id, playbook id) is claimed and its run finished (or the claim predates run tracking).</summary>
    AlreadyClaimed,

    /// <summary>(event id, playbook id) is claimed by a run still in progress (or its claim changed under a takeover):
    /// the event waits for redelivery.</summary>
    RunInProgress,
    LeaseHeld,
    BudgetExhausted,
    CoolingDown,
    RateLimited,
    InFlightLimited,
    BreakerOpen,
}
