namespace RemediationWorker.Ledger;

/// <summary>What one decision is about: the event and playbook (idempotency) and the resource (lease, budget).</summary>
internal readonly record struct LedgerKey(string EventId, string PlaybookId, string Resource);
