namespace RemediationWorker.Configuration;

/// <summary>Which keys a running worker takes from a new version: the <c>Remediation</c> section and
/// <c>Execution:Mode</c>. Every other section was read into the host's services at start (queues, ledger, audit,
/// clients), so a change there needs a restart and the version is refused.</summary>
internal static class LiveKeys
{
    public const int Shown = 5;

    public static bool IsLive(string key)
        => key.Equals("Remediation", StringComparison.OrdinalIgnoreCase)
           || key.StartsWith("Remediation:", StringComparison.OrdinalIgnoreCase)
           || key.Equals("Execution:Mode", StringComparison.OrdinalIgnoreCase)
           || key.Equals("$schema", StringComparison.OrdinalIgnoreCase);

    /// <summary>The keys outside the live ones that differ between two versions (added, removed or changed), sorted.</summary>
    public static IReadOnlyList<string> NeedingRestart(IReadOnlyDictionary<string, string?> running, IReadOnlyDictionary<string, string?> next)
        => running.Keys.Union(next.Keys, StringComparer.OrdinalIgnoreCase)
            .Where(k => !IsLive(k) && running.GetValueOrDefault(k) != next.GetValueOrDefault(k))
            .Order(StringComparer.OrdinalIgnoreCase)
            .ToList();

    public static string Describe(IReadOnlyList<string> keys)
        => $"needs a restart: {string.Join(", ", keys.Take(Shown))}{(keys.Count > Shown ? $" and {keys.Count - Shown} more" : string.Empty)} changed; only Remediation and Execution:Mode change while the worker runs";
}
