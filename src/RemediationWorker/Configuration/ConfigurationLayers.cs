using Microsoft.Extensions.Configuration;

namespace RemediationWorker.Configuration;

/// <summary>What every command's configuration is made of: the one document, then environment variables on top
/// (<c>Remediation__KillSwitch=true</c>, the stack's <c>Intake__QueueUrl</c>). Nothing else is layered under the
/// document, so its <c>Remediation</c> section is the whole of it.</summary>
internal static class ConfigurationLayers
{
    public static IConfigurationBuilder AddDocument(this IConfigurationBuilder builder, DocumentConfigurationProvider document)
        => builder.Add(new DocumentConfigurationSource(document)).AddEnvironmentVariables();

    public static ConfigurationRoot Build(DocumentConfigurationProvider document)
        => (ConfigurationRoot)new ConfigurationBuilder().AddDocument(document).Build();
}
