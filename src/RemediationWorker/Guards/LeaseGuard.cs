using System.Globalization;

namespace RemediationWorker.Guards;

/// <summary>One remediation at a time per resource, across playbooks and replicas: the next event on a leased
/// resource waits until the lease ends (deferred).</summary>
internal sealed class LeaseGuard : IGuard
{
    public int Order => 400;

    public string Name => GuardNames.Lease;

    public GuardVerdict Evaluate(GuardContext context)
        => context.Ledger.Lease is { } lease && lease.IsHeldAt(context.Now)
            ? GuardVerdict.Defer(Name, string.Create(CultureInfo.InvariantCulture, $"{context.Resource} is being remediated by {lease.Owner} until {GuardText.Time(lease.Until)}"), lease.Until)
            : GuardVerdict.Allowed;
}
