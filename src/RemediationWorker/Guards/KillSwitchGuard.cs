namespace RemediationWorker.Guards;

/// <summary><c>Remediation:KillSwitch</c> stops everything, dry-run included. Nothing is dropped: a new run and
/// the takeover of a dead replica's run are both deferred (the event is kept and looked at again every
/// <see cref="Recheck"/>; a takeover's claim stays as it is), so once the switch is off the events are handled.</summary>
internal sealed class KillSwitchGuard : IGuard
{
    public int Order => 200;

    /// <summary>How often a deferred event looks at the switch again.</summary>
    public static readonly TimeSpan Recheck = TimeSpan.FromMinutes(15);

    public string Name => GuardNames.KillSwitch;

    public GuardVerdict Evaluate(GuardContext context)
        => context.Version.Options.KillSwitch
            ? GuardVerdict.Defer(Name, "the kill switch (Remediation:KillSwitch) is on; the event waits until it is off", context.Now + Recheck)
            : GuardVerdict.Allowed;

    public GuardVerdict EvaluateTakeover(GuardContext context)
        => context.Version.Options.KillSwitch
            ? GuardVerdict.Defer(
                Name,
                $"the run of {context.Ledger.Claim?.Owner} whose lease expired at {GuardText.Time(context.Ledger.Claim?.RunningUntil)} is not taken over while the kill switch (Remediation:KillSwitch) is on; the event waits for redelivery",
                context.Now + Recheck)
            : GuardVerdict.Allowed;
}
