namespace RemediationWorker.Configuration;

/// <summary>The configuration cannot be found or read (no file anywhere looked, a missing object, AccessDenied,
/// not JSON): the command exits 2 with <see cref="Exception.Message"/>, which says what to fix.</summary>
internal sealed class ConfigurationUnavailableException : Exception
{
    public ConfigurationUnavailableException(string message)
        : base(message)
    {
    }

    public ConfigurationUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The document was read but is not JSON (<c>validate</c> reports that as a finding, exit 1).</summary>
    public bool IsNotJson { get; init; }
}
