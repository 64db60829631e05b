using System.Globalization;

namespace RemediationWorker.Guards;

/// <summary>A playbook whose runbook failed <c>breaker.failureThreshold</c> times in a row stops until
/// <c>breaker.breakDuration</c> has passed; then one trial run may start.</summary>
internal sealed class BreakerGuard : IGuard
{
    public int Order => 800;

    public string Name => GuardNames.Breaker;

    public GuardVerdict Evaluate(GuardContext context)
    {
        var breaker = context.Ledger.Breaker;
        if (breaker.IsOpenAt(context.Now))
        {
            return GuardVerdict.Skip(Name, string.Create(CultureInfo.InvariantCulture,
                $"playbook {context.Playbook.Id} stopped after {breaker.ConsecutiveFailures} failed runs in a row, until {GuardText.Time(breaker.OpenUntil)}"));
        }

        return breaker.AllowsStartAt(context.Now)
            ? GuardVerdict.Allowed
            : GuardVerdict.Skip(Name, $"playbook {context.Playbook.Id} is half-open and its trial run has not finished");
    }
}
