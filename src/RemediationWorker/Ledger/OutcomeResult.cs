namespace RemediationWorker.Ledger;

/// <summary>What recording an outcome changed: whether it opened the playbook's breaker.</summary>
internal readonly record struct OutcomeResult(bool BreakerOpened, int ConsecutiveFailures, DateTimeOffset? OpenUntil);
