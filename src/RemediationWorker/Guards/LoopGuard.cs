namespace RemediationWorker.Guards;

/// <summary>A fault our own remediation caused is never remediated again by the same playbook: an event that
/// carries an id a run of this playbook caused (its <c>CausedIds</c>, kept by the ledger) is escalated instead.
/// An event caused by another playbook's run goes on (its records name the cause, <c>causedBy</c>).</summary>
internal sealed class LoopGuard : IGuard
{
    public int Order => 150;

    public string Name => GuardNames.Loop;

    public GuardVerdict Evaluate(GuardContext context)
        => context.Ledger.CausedBy is { } cause && string.Equals(cause.PlaybookId, context.Playbook.Id, StringComparison.Ordinal)
            ? GuardVerdict.Escalate(Name, $"caused by execution {cause.ExecutionId} of playbook {cause.PlaybookId} (the event carries {cause.CausedId}); not remediated again by the same playbook")
            : GuardVerdict.Allowed;
}
