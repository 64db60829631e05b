namespace RemediationWorker.Ledger;

/// <summary>Why <see cref="ILedger.TryStartAsync"/> refused: the condition that failed, in guard order.
/// Normally the guards have seen it already; a conflict here means another handler won a race.</summary>
internal enum StartConflict
{
    None,
    AlreadyClaimed,
    LeaseHeld,
    BudgetExhausted,
    CoolingDown,
    RateLimited,
    InFlightLimited,
    BreakerOpen,
}
