namespace RemediationWorker.Guards;

/// <summary>Only events from allowed accounts, regions and sources, acting only on what is in allowed accounts and
/// regions: the resource and every rendered parameter that is an ARN must name an allowed account and region (an
/// event from an allowed account can name another account's stack). A resource that is not an ARN (a build
/// project, a sweep prefix) is checked through the envelope. An empty list allows any.</summary>
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

        if (OutsideAllowLists(options, "resource", context.Resource) is { } resource)
        {
            return GuardVerdict.Skip(Name, resource);
        }

        foreach (var (name, value) in context.Parameters ?? EmptyParameters)
        {
            if (OutsideAllowLists(options, $"parameter {name}", value) is { } parameter)
            {
                return GuardVerdict.Skip(Name, parameter);
            }
        }

        return GuardVerdict.Allowed;
    }

    private static readonly Dictionary<string, string> EmptyParameters = [];

    private static string? OutsideAllowLists(Playbooks.RemediationOptions options, string what, string value)
    {
        if (!ArnText.TryParse(value, out var region, out var account))
        {
            return null;
        }

        if (account.Length > 0 && options.AllowedAccounts.Count > 0 && !options.AllowedAccounts.Contains(account, StringComparer.Ordinal))
        {
            return $"{what} names account {account}, which is not in allowedAccounts";
        }

        return region.Length > 0 && options.AllowedRegions.Count > 0 && !options.AllowedRegions.Contains(region, StringComparer.Ordinal)
            ? $"{what} names region {region}, which is not in allowedRegions"
            : null;
    }
}
