using System.Globalization;

namespace RemediationWorker.Guards;

/// <summary>At most <c>limits.maxStartsPerMinute</c> runs started per calendar minute, over all playbooks; the
/// rest waits for the next minute (deferred).</summary>
internal sealed class RateLimitGuard : IGuard
{
    public int Order => 600;

    public string Name => GuardNames.RateLimit;

    public GuardVerdict Evaluate(GuardContext context)
    {
        var max = context.Version.Options.Limits.MaxStartsPerMinute;
        return context.Ledger.StartsThisMinute >= max
            ? GuardVerdict.Defer(Name, string.Create(CultureInfo.InvariantCulture, $"{context.Ledger.StartsThisMinute} runs already started this minute (limit {max})"), NextMinute(context.Now))
            : GuardVerdict.Allowed;
    }

    public static DateTimeOffset NextMinute(DateTimeOffset now) => new(now.Ticks - (now.Ticks % TimeSpan.TicksPerMinute) + TimeSpan.TicksPerMinute, now.Offset);
}
