namespace RemediationWorker.Guards;

/// <summary>The guards in order; the first that does not allow a run decides. A takeover (<see cref="GuardOutcome.TakeOver"/>)
/// is put to the guards after it as a takeover (<see cref="IGuard.EvaluateTakeover"/>): the first of them that does
/// not allow it decides instead.</summary>
internal sealed class GuardPipeline
{
    private readonly IGuard[] _guards;

    public GuardPipeline(IEnumerable<IGuard> guards) => _guards = [.. guards.OrderBy(g => g.Order)];

    public GuardVerdict Evaluate(GuardContext context)
    {
        for (var i = 0; i < _guards.Length; i++)
        {
            var verdict = _guards[i].Evaluate(context);
            if (verdict.Outcome == GuardOutcome.TakeOver)
            {
                return EvaluateTakeover(context, i + 1, verdict);
            }

            if (!verdict.IsAllowed)
            {
                return verdict;
            }
        }

        return GuardVerdict.Allowed;
    }

    private GuardVerdict EvaluateTakeover(GuardContext context, int next, GuardVerdict takeover)
    {
        for (var i = next; i < _guards.Length; i++)
        {
            var verdict = _guards[i].EvaluateTakeover(context);
            if (!verdict.IsAllowed)
            {
                return verdict;
            }
        }

        return takeover;
    }
}
