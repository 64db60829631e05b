using System.Text.Json;
using Microsoft.Extensions.Configuration.Json;

namespace RemediationWorker.Configuration;

/// <summary>The configuration document's keys, as <c>AddJsonFile</c> would read them, replaced whole when a new
/// version is applied (<see cref="Replace"/>): so an operator's shorter playbook list leaves none of the old ones,
/// which layering another file would (.NET configuration merges arrays by index).</summary>
internal sealed class DocumentConfigurationProvider : JsonStreamConfigurationProvider
{
    private DocumentConfigurationProvider(ConfigurationDocument document)
        : base(new JsonStreamConfigurationSource()) => Document = document;

    /// <summary>The version whose keys this provider holds.</summary>
    public ConfigurationDocument Document { get; private set; }

    /// <summary>The keys with their values, for comparing two versions.</summary>
    public IReadOnlyDictionary<string, string?> Values => Data.AsReadOnly();

    /// <exception cref="ConfigurationUnavailableException">Not JSON (<see cref="ConfigurationUnavailableException.IsNotJson"/>).</exception>
    public static DocumentConfigurationProvider Parse(ConfigurationDocument document)
    {
        var provider = new DocumentConfigurationProvider(document);
        try
        {
            using var stream = new MemoryStream(document.Content, writable: false);
            provider.Load(stream);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or InvalidDataException)
        {
            throw new ConfigurationUnavailableException($"{document} is not valid JSON: {ConfigurationFileErrors.Describe(ex)}", ex) { IsNotJson = true };
        }

        return provider;
    }

    /// <summary>Does nothing: the keys come from <see cref="Parse"/> and <see cref="Replace"/>, never from a stream
    /// the configuration root would open.</summary>
    public override void Load()
    {
    }

    /// <summary>Takes <paramref name="next"/>'s keys (all of them, none of the old ones left) and signals the reload.</summary>
    public void Replace(DocumentConfigurationProvider next)
    {
        Data = next.Data;
        Document = next.Document;
        OnReload();
    }
}
