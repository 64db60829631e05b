using System.Globalization;

namespace RemediationWorker.Guards;

/// <summary>At most <c>maxAttempts</c> runs per resource within <c>attemptWindow</c>. The first event past the
/// budget is escalated; later ones are skipped until the window passes.</summary>
internal sealed class AttemptBudgetGuard : IGuard
{
    public int Order => 500;

    public string Name => GuardNames.AttemptBudget;

    public GuardVerdict Evaluate(GuardContext context)
    {
        var limits = context.Playbook.Options.Limits;
        var attempts = context.Ledger.Attempts;
        if (!attempts.IsExhausted(context.Now, limits.AttemptWindow, limits.MaxAttempts))
        {
            return GuardVerdict.Allowed;
        }

        var reason = string.Create(CultureInfo.InvariantCulture,
            $"{attempts.Count} of {limits.MaxAttempts} attempts on {context.Resource} within {limits.AttemptWindow} used; no automatic attempt before {GuardText.Time(attempts.WindowEnds(limits.AttemptWindow))}");
        return attempts.IsEscalatedAt(context.Now)
            ? GuardVerdict.Skip(Name, $"{reason} (already escalated)")
            : GuardVerdict.Escalate(Name, reason);
    }
}
