namespace RemediationWorker.Guards;

/// <summary>An event already handled by this playbook (a redelivery) never starts a second run.</summary>
internal sealed class DuplicateGuard : IGuard
{
    public int Order => 100;

    public string Name => GuardNames.Duplicate;

    public GuardVerdict Evaluate(GuardContext context)
        => context.Ledger.AlreadyClaimed
            ? GuardVerdict.Skip(Name, $"event {context.Event.Id} was already handled by playbook {context.Playbook.Id}")
            : GuardVerdict.Allowed;
}
