using System.Globalization;

namespace RemediationWorker.Guards;

/// <summary>At most <c>limits.maxStartsPerMinute</c> runs started per calendar minute, over all playbooks.</summary>
internal sealed class RateLimitGuard : IGuard
{
    public int Order => 600;

    public string Name => GuardNames.RateLimit;

    public GuardVerdict Evaluate(GuardContext context)
    {
        var max = context.Version.Options.Limits.MaxStartsPerMinute;
        return context.Ledger.StartsThisMinute >= max
            ? GuardVerdict.Skip(Name, string.Create(CultureInfo.InvariantCulture, $"{context.Ledger.StartsThisMinute} runs already started this minute (limit {max})"))
            : GuardVerdict.Allowed;
    }
}
