namespace RemediationWorker.Guards;

/// <summary><c>Remediation:KillSwitch</c> stops everything, dry-run included.</summary>
internal sealed class KillSwitchGuard : IGuard
{
    public int Order => 200;

    public string Name => GuardNames.KillSwitch;

    public GuardVerdict Evaluate(GuardContext context)
        => context.Version.Options.KillSwitch
            ? GuardVerdict.Skip(Name, "the kill switch (Remediation:KillSwitch) is on")
            : GuardVerdict.Allowed;
}
