namespace RemediationWorker.Configuration;

/// <summary>The configuration a <c>run</c> host was started with: where it came from, the provider holding its
/// keys, the reader that looks for new versions, and the status <c>health</c> reads.</summary>
internal sealed record WatchedConfiguration(ConfigurationLocation Location, DocumentConfigurationProvider Provider, ConfigurationDocumentReader Reader, ConfigurationStatus Status);
