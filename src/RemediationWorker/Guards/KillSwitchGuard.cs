namespace RemediationWorker.Guards;

/// <summary><c>Remediation:KillSwitch</c> stops everything, dry-run included. A new run is skipped; the takeover
/// of a dead replica's run is deferred instead (its claim stays as it is, so once the switch is off again the
/// event's redelivery takes the run over).</summary>
internal sealed class KillSwitchGuard : IGuard
{
    public int Order => 200;

    public string Name => GuardNames.KillSwitch;

    public GuardVerdict Evaluate(GuardContext context)
        => context.Version.Options.KillSwitch
            ? GuardVerdict.Skip(Name, "the kill switch (Remediation:KillSwitch) is on")
            : GuardVerdict.Allowed;

    public GuardVerdict EvaluateTakeover(GuardContext context)
        => context.Version.Options.KillSwitch
            ? GuardVerdict.Defer(
                Name,
                $"the run of {context.Ledger.Claim?.Owner} whose lease expired at {GuardText.Time(context.Ledger.Claim?.RunningUntil)} is not taken over while the kill switch (Remediation:KillSwitch) is on; the event waits for redelivery")
            : GuardVerdict.Allowed;
}
