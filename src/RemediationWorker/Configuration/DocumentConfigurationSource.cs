using Microsoft.Extensions.Configuration;

namespace RemediationWorker.Configuration;

/// <summary>Adds an already parsed <see cref="DocumentConfigurationProvider"/> to a configuration builder.</summary>
internal sealed class DocumentConfigurationSource(DocumentConfigurationProvider provider) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => provider;
}
