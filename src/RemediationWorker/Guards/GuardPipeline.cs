namespace RemediationWorker.Guards;

/// <summary>The guards in order; the first that does not allow a run decides.</summary>
internal sealed class GuardPipeline
{
    private readonly IGuard[] _guards;

    public GuardPipeline(IEnumerable<IGuard> guards) => _guards = [.. guards.OrderBy(g => g.Order)];

    public GuardVerdict Evaluate(GuardContext context)
    {
        foreach (var guard in _guards)
        {
            var verdict = guard.Evaluate(context);
            if (!verdict.IsAllowed)
            {
                return verdict;
            }
        }

        return GuardVerdict.Allowed;
    }
}
