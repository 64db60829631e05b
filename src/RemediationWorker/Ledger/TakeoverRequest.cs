using RemediationWorker.Playbooks;

namespace RemediationWorker.Ledger;

/// <summary>Asks the ledger to hand a claim whose holder's lease ran out (<see cref="ClaimState.IsAbandonedAt"/>)
/// to a new owner: the claim's and the resource's lease move to it until <see cref="LeaseUntil"/>. It is the same
/// run, not a new start: no attempt is spent and no start is counted in the minute; the in-flight limit holds as for
/// a start (the run takes a slot again only if the count allows).</summary>
internal sealed record TakeoverRequest(LedgerKey Key, string Owner, DateTimeOffset Now, DateTimeOffset LeaseUntil, GlobalLimitsOptions GlobalLimits)
{
    /// <summary>The playbook's breaker was half-open when the guards read it: the run taken over is (or now stands
    /// for) its trial, so the takeover marks the trial until <see cref="LeaseUntil"/> as a start does, and other
    /// starts wait for its outcome. The mark is no condition: the run was admitted when it started.</summary>
    public bool MarkTrial { get; init; }
}
