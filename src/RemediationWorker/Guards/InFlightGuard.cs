using System.Globalization;

namespace RemediationWorker.Guards;

/// <summary>At most <c>limits.maxInFlight</c> runs started and not yet finished, over all playbooks.</summary>
internal sealed class InFlightGuard : IGuard
{
    public int Order => 700;

    public string Name => GuardNames.InFlight;

    public GuardVerdict Evaluate(GuardContext context)
    {
        var max = context.Version.Options.Limits.MaxInFlight;
        return context.Ledger.InFlight >= max
            ? GuardVerdict.Skip(Name, string.Create(CultureInfo.InvariantCulture, $"{context.Ledger.InFlight} runs in flight (limit {max})"))
            : GuardVerdict.Allowed;
    }
}
