namespace RemediationWorker.Configuration;

/// <summary>The one way every command finds its configuration: <c>--config</c> (a path or <c>s3://BUCKET/KEY</c>),
/// else the environment variable <c>REMEDIATION_CONFIG</c> (same forms), else <c>./appsettings.json</c>, else the
/// <c>appsettings.json</c> beside the executable.</summary>
internal static class ConfigurationDiscovery
{
    public const string EnvironmentVariable = "REMEDIATION_CONFIG";

    public const string DefaultFileName = "appsettings.json";

    public static ConfigurationLocation Find(string? option) => Find(option, Environment.GetEnvironmentVariable, Directory.GetCurrentDirectory(), AppContext.BaseDirectory);

    /// <exception cref="ConfigurationUnavailableException">None of the places exists; the message lists them.</exception>
    public static ConfigurationLocation Find(string? option, Func<string, string?> environment, string workingDirectory, string executableDirectory)
    {
        if (!string.IsNullOrWhiteSpace(option))
        {
            return ConfigurationLocation.Parse(option);
        }

        if (environment(EnvironmentVariable) is { Length: > 0 } named)
        {
            return ConfigurationLocation.Parse(named);
        }

        var inWorkingDirectory = Path.GetFullPath(Path.Combine(workingDirectory, DefaultFileName));
        var besideExecutable = Path.GetFullPath(Path.Combine(executableDirectory, DefaultFileName));
        foreach (var candidate in new[] { inWorkingDirectory, besideExecutable })
        {
            if (File.Exists(candidate))
            {
                return ConfigurationLocation.Parse(candidate);
            }
        }

        throw new ConfigurationUnavailableException(
            $"no configuration: no --config, {EnvironmentVariable} is not set, and neither {inWorkingDirectory} nor {besideExecutable} exists");
    }
}
