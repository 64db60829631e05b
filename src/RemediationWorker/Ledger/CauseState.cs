namespace RemediationWorker.Ledger;

/// <summary>An id that a run of this worker caused (a runbook's <c>CausedIds</c> output: a CloudFormation
/// <c>ClientRequestToken</c>, a drift detection id, a retried build id), and the run that caused it.</summary>
internal sealed record CauseState(string CausedId, string ExecutionId, string PlaybookId)
{
    /// <summary>How long a caused id is kept: longer than the slowest consequence we know of (a retried build, a
    /// drift detection) takes to come back as an event.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(7);

    /// <summary>At most this many candidate ids of one event are looked up (they ride in the guards' one read).</summary>
    public const int MaxCandidates = 8;
}
