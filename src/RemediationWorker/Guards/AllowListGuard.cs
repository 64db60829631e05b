namespace RemediationWorker.Guards;

/// <summary>Only events from allowed accounts, regions and sources; an empty list allows any.</summary>
internal sealed class AllowListGuard : IGuard
{
    public int Order => 300;

    public string Name => GuardNames.AllowList;

    public GuardVerdict Evaluate(GuardContext context)
    {
        var options = context.Version.Options;
        var e = context.Event;
        if (options.AllowedAccounts.Count > 0 && !options.AllowedAccounts.Contains(e.Account, StringComparer.Ordinal))
        {
            return GuardVerdict.Skip(Name, $"account {e.Account} is not in allowedAccounts");
        }

        if (options.AllowedRegions.Count > 0 && !options.AllowedRegions.Contains(e.Region, StringComparer.Ordinal))
        {
            return GuardVerdict.Skip(Name, $"region {e.Region} is not in allowedRegions");
        }

        if (options.AllowedSources.Count > 0 && !options.AllowedSources.Contains(e.Source, StringComparer.Ordinal))
        {
            return GuardVerdict.Skip(Name, $"source {e.Source} is not in allowedSources");
        }

        return GuardVerdict.Allowed;
    }
}
