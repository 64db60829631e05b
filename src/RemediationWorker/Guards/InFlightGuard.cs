using System.Globalization;

namespace RemediationWorker.Guards;

/// <summary>At most <c>limits.maxInFlight</c> runs started and not yet finished, over all playbooks. The rest (a
/// drift sweep's overflow, a storm) is deferred and looked at again after <see cref="Recheck"/>.</summary>
internal sealed class InFlightGuard : IGuard
{
    public int Order => 700;

    /// <summary>A run may end at any time; the deferred event looks again after this.</summary>
    public static readonly TimeSpan Recheck = TimeSpan.FromMinutes(1);

    public string Name => GuardNames.InFlight;

    public GuardVerdict Evaluate(GuardContext context)
    {
        var max = context.Version.Options.Limits.MaxInFlight;
        return context.Ledger.InFlight >= max
            ? GuardVerdict.Defer(Name, string.Create(CultureInfo.InvariantCulture, $"{context.Ledger.InFlight} runs in flight (limit {max})"), context.Now + Recheck)
            : GuardVerdict.Allowed;
    }
}
