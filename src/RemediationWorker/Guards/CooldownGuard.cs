using System.Globalization;

namespace RemediationWorker.Guards;

/// <summary>At least <c>cooldown</c> between two runs of a playbook on the same resource.</summary>
internal sealed class CooldownGuard : IGuard
{
    public int Order => 510;

    public string Name => GuardNames.Cooldown;

    public GuardVerdict Evaluate(GuardContext context)
    {
        var cooldown = context.Playbook.Options.Limits.Cooldown;
        var attempts = context.Ledger.Attempts;
        return attempts.IsCoolingDown(context.Now, cooldown)
            ? GuardVerdict.Skip(Name, string.Create(CultureInfo.InvariantCulture,
                $"last attempt on {context.Resource} at {GuardText.Time(attempts.LastAttempt)}; cooldown {cooldown} ends at {GuardText.Time(attempts.CooldownEnds(cooldown))}"))
            : GuardVerdict.Allowed;
    }
}
