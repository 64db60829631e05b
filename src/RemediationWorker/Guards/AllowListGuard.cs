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

        if (OutsideAllowLists(options, "resource", null, context.Resource) is { } resource)
        {
            return GuardVerdict.Skip(Name, resource);
        }

        if (context.Parameters is { } parameters)
        {
            foreach (var (name, value) in parameters)
            {
                if (OutsideAllowLists(options, "parameter", name, value) is { } parameter)
                {
                    return GuardVerdict.Skip(Name, parameter);
                }
            }
        }

        return GuardVerdict.Allowed;
    }

    /// <param name="what">"resource" or "parameter", with the parameter's <paramref name="name"/>: the reason's words.</param>
    private static string? OutsideAllowLists(Playbooks.RemediationOptions options, string what, string? name, string value)
    {
        if (!ArnText.TryParse(value, out var region, out var account))
        {
            return null;
        }

        if (!account.IsEmpty && options.AllowedAccounts.Count > 0 && !Contains(options.AllowedAccounts, account))
        {
            return $"{what}{(name is null ? string.Empty : " " + name)} names account {account}, which is not in allowedAccounts";
        }

        return !region.IsEmpty && options.AllowedRegions.Count > 0 && !Contains(options.AllowedRegions, region)
            ? $"{what}{(name is null ? string.Empty : " " + name)} names region {region}, which is not in allowedRegions"
            : null;
    }

    private static bool Contains(List<string> allowed, ReadOnlySpan<char> value)
    {
        foreach (var item in allowed)
        {
            if (value.SequenceEqual(item))
            {
                return true;
            }
        }

        return false;
    }
}
