using RemediationWorker.Playbooks;

namespace RemediationWorker.Ledger;

/// <summary>Records how a run ended: releases its lease and in-flight slot and feeds the playbook's breaker.</summary>
internal sealed record OutcomeRequest(LedgerKey Key, string Owner, DateTimeOffset Now, RunOutcome Outcome, BreakerOptions Breaker)
{
    /// <summary>The execution whose outcome this is (with its caused ids).</summary>
    public string? ExecutionId { get; init; }

    /// <summary>The ids the run caused (its <c>…CausedIds</c> outputs): kept for <see cref="CauseState.Retention"/>.</summary>
    public IReadOnlyList<string> CausedIds { get; init; } = [];
}
