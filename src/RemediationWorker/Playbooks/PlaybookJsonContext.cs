using System.Text.Json.Serialization;

namespace RemediationWorker.Playbooks;

/// <summary>Serializes the options canonically for <see cref="ConfigurationHash"/>.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    WriteIndented = false)]
[JsonSerializable(typeof(RemediationOptions))]
internal sealed partial class PlaybookJsonContext : JsonSerializerContext
{
}
