using RemediationWorker.Playbooks;

namespace RemediationWorker.Ledger;

/// <summary>Records how a run ended: releases its lease and in-flight slot and feeds the playbook's breaker.</summary>
internal sealed record OutcomeRequest(LedgerKey Key, string Owner, DateTimeOffset Now, RunOutcome Outcome, BreakerOptions Breaker);
