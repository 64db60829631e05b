using System.CommandLine;
using Microsoft.Extensions.Configuration;
using RemediationWorker.Configuration;

namespace RemediationWorker.Commands;

/// <summary>The configuration a command reads: the document found by <see cref="ConfigurationDiscovery"/> (a file or
/// an S3 object), then environment variables on top, as <c>run</c> sees them (<c>Remediation__KillSwitch=true</c>).</summary>
internal sealed record CommandConfiguration(ConfigurationDocument Document, DocumentConfigurationProvider Provider, IConfigurationRoot Root)
{
    /// <summary>The <c>--config</c> option every command that reads configuration takes.</summary>
    public static Option<string?> CreateOption() => new("--config")
    {
        Description = "The configuration: a file or s3://BUCKET/KEY (default: $REMEDIATION_CONFIG, else ./appsettings.json, else the one beside the executable); environment variables apply on top",
    };

    /// <summary>A reader whose S3 client (created on first use) follows the endpoint variables (<see cref="S3ClientFactory"/>).</summary>
    public static ConfigurationDocumentReader CreateReader() => new(() => S3ClientFactory.Create(Environment.GetEnvironmentVariable));

    /// <summary>Finds, reads and parses the configuration; no retry (a command run by hand says at once what is wrong).</summary>
    /// <exception cref="ConfigurationUnavailableException">Not found, not readable, or not JSON (<see cref="ConfigurationUnavailableException.IsNotJson"/>).</exception>
    public static Task<CommandConfiguration> LoadAsync(string? option, CancellationToken cancellationToken)
        => LoadAsync(option, TimeSpan.Zero, TimeProvider.System, (_, _) => { }, cancellationToken);

    /// <param name="retryLimit">How long throttling, 5xx and network errors are retried (<c>run</c>: 2 minutes).</param>
    public static async Task<CommandConfiguration> LoadAsync(string? option, TimeSpan retryLimit, TimeProvider timeProvider, Action<string, TimeSpan> retrying, CancellationToken cancellationToken)
    {
        using var reader = CreateReader();
        return await LoadAsync(ConfigurationDiscovery.Find(option), reader, retryLimit, timeProvider, retrying, cancellationToken);
    }

    public static async Task<CommandConfiguration> LoadAsync(ConfigurationLocation location, ConfigurationDocumentReader reader, TimeSpan retryLimit, TimeProvider timeProvider, Action<string, TimeSpan> retrying, CancellationToken cancellationToken)
    {
        var document = await reader.ReadAtStartAsync(location, timeProvider, retryLimit, retrying, cancellationToken);
        var provider = DocumentConfigurationProvider.Parse(document);
        return new CommandConfiguration(document, provider, ConfigurationLayers.Build(provider));
    }
}
