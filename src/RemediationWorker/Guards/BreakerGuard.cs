using System.Globalization;

namespace RemediationWorker.Guards;

/// <summary>A playbook whose runbook failed <c>breaker.failureThreshold</c> times in a row stops until
/// <c>breaker.breakDuration</c> has passed; then one trial run may start. Events meanwhile are deferred until the
/// breaker is half-open (or, while a trial runs, for <see cref="InFlightGuard.Recheck"/>).</summary>
internal sealed class BreakerGuard : IGuard
{
    public int Order => 800;

    public string Name => GuardNames.Breaker;

    public GuardVerdict Evaluate(GuardContext context)
    {
        var breaker = context.Ledger.Breaker;
        if (breaker.IsOpenAt(context.Now))
        {
            return GuardVerdict.Defer(
                Name,
                string.Create(CultureInfo.InvariantCulture, $"playbook {context.Playbook.Id} stopped after {breaker.ConsecutiveFailures} failed runs in a row, until {GuardText.Time(breaker.OpenUntil)}"),
                breaker.OpenUntil!.Value);
        }

        return breaker.AllowsStartAt(context.Now)
            ? GuardVerdict.Allowed
            : GuardVerdict.Defer(Name, $"playbook {context.Playbook.Id} is half-open and its trial run has not finished", context.Now + InFlightGuard.Recheck);
    }
}
