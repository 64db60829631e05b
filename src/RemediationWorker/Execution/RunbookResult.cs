namespace RemediationWorker.Execution;

/// <summary>The terminal state of an execution, with SSM's status text (for example <c>Cancelled</c>).</summary>
internal sealed record RunbookResult(RunbookStatus Status, string StatusText, string? FailureMessage = null)
{
    /// <summary>The ids the run caused: every value of its outputs named <c>&lt;Step&gt;.CausedIds</c>.</summary>
    public IReadOnlyList<string> CausedIds { get; init; } = [];
}
