namespace RemediationWorker.Guards;

/// <summary>An event already handled by this playbook (a redelivery) never starts a second run. What the claim
/// says decides: a settled run is a duplicate; a run in progress under a live lease makes the redelivery wait (its
/// holder may still die); a run whose holder's lease ran out without an outcome is taken over — the later guards
/// are asked only whether they stop a takeover (<see cref="IGuard.EvaluateTakeover"/>: the kill switch does),
/// because they admitted that run when it started.</summary>
internal sealed class DuplicateGuard : IGuard
{
    public int Order => 100;

    public string Name => GuardNames.Duplicate;

    public GuardVerdict Evaluate(GuardContext context)
        => context.Ledger.Claim switch
        {
            null => GuardVerdict.Allowed,
            { IsSettled: true } => GuardVerdict.Skip(Name, $"event {context.Event.Id} was already handled by playbook {context.Playbook.Id}"),
            var claim when claim.IsRunningAt(context.Now) => GuardVerdict.Defer(
                Name,
                $"event {context.Event.Id} is claimed by {claim.Owner} until {GuardText.Time(claim.RunningUntil)} for playbook {context.Playbook.Id}, its run in progress; the event waits for redelivery",
                claim.RunningUntil!.Value),
            var claim => GuardVerdict.TakeOver(Name, $"took over from {claim.Owner} whose lease expired at {GuardText.Time(claim.RunningUntil)}"),
        };
}
