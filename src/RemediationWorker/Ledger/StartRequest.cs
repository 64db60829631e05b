using RemediationWorker.Playbooks;

namespace RemediationWorker.Ledger;

/// <summary>Asks the ledger to start a run: all of its conditions are checked and all of its writes are made
/// together, or none (one DynamoDB TransactWriteItems with a condition per item).</summary>
internal sealed record StartRequest(
    LedgerKey Key,
    string Owner,
    DateTimeOffset Now,
    DateTimeOffset LeaseUntil,
    DateTimeOffset ClaimUntil,
    LimitsOptions Limits,
    GlobalLimitsOptions GlobalLimits)
{
    /// <summary>The attempt state the guards read (<see cref="LedgerSnapshot.Attempts"/>). A store that writes the
    /// next state whole expects this one; it still checks every condition itself, so a stale or missing value costs
    /// another try, never a wrong start.</summary>
    public AttemptState? SeenAttempts { get; init; }
}
