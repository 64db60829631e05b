namespace RemediationWorker.Ledger;

/// <summary>What one decision is about: the event and playbook (idempotency) and the resource (lease, budget).</summary>
internal readonly record struct LedgerKey(string EventId, string PlaybookId, string Resource)
{
    /// <summary>Ids in the event that a run of ours may have caused (<see cref="CauseState"/>); looked up by the same read.</summary>
    public IReadOnlyList<string>? CausedIdCandidates { get; init; }
}
