using Microsoft.Extensions.Configuration;

namespace RemediationWorker.Commands;

/// <summary>The configuration <c>validate</c> and <c>replay</c> read: the file given with <c>--config</c>, else
/// <c>appsettings.json</c> from the working directory (else beside the executable); then environment
/// variables on top, as <c>run</c> sees them (<c>Remediation__KillSwitch=true</c>).</summary>
internal static class CommandConfiguration
{
    public const string DefaultFileName = "appsettings.json";

    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">The file is not valid JSON.</exception>
    public static IConfigurationRoot Build(string? configFile)
    {
        var path = configFile is not null ? Path.GetFullPath(configFile) : FindDefault();
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"no configuration file at {path}", path);
        }

        try
        {
            return new ConfigurationBuilder()
                .AddJsonFile(path, optional: false, reloadOnChange: false)
                .AddEnvironmentVariables()
                .Build();
        }
        catch (Exception ex) when (ex is FormatException or InvalidDataException)
        {
            throw new InvalidDataException($"{path} is not valid JSON: {ex.InnerException?.Message ?? ex.Message}", ex);
        }
    }

    private static string FindDefault()
    {
        var inWorkingDirectory = Path.GetFullPath(DefaultFileName);
        return File.Exists(inWorkingDirectory) ? inWorkingDirectory : Path.Combine(AppContext.BaseDirectory, DefaultFileName);
    }
}
