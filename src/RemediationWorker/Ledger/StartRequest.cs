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
    GlobalLimitsOptions GlobalLimits);
