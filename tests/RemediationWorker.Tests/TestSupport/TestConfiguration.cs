using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;

namespace RemediationWorker.Tests.TestSupport;

/// <summary>Configurations for tests: the shipped appsettings.json, edited as JSON, plus key overrides.</summary>
internal static class TestConfiguration
{
    public static JsonObject ShippedJson() => JsonNode.Parse(File.ReadAllText(RepositoryPaths.AppSettings))!.AsObject();

    public static IConfigurationRoot Shipped(IDictionary<string, string?>? overrides = null) => FromJson(ShippedJson(), overrides);

    /// <summary>The shipped file after <paramref name="edit"/> changes its JSON.</summary>
    public static IConfigurationRoot Edited(Action<JsonObject> edit, IDictionary<string, string?>? overrides = null)
    {
        var json = ShippedJson();
        edit(json);
        return FromJson(json, overrides);
    }

    public static IConfigurationRoot FromJson(JsonNode json, IDictionary<string, string?>? overrides = null)
        => FromJson(json.ToJsonString(), overrides);

    public static IConfigurationRoot FromJson(string json, IDictionary<string, string?>? overrides = null)
    {
        var builder = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        if (overrides is not null)
        {
            builder.AddInMemoryCollection(overrides);
        }

        return builder.Build();
    }

    public static JsonObject Playbook(JsonObject root, string id)
        => root["Remediation"]!["playbooks"]!.AsArray().Select(p => p!.AsObject()).Single(p => (string?)p["id"] == id);

    /// <summary>A configuration with only the given playbooks (built from JSON) and global settings.</summary>
    public static JsonObject WithPlaybooks(params JsonObject[] playbooks)
    {
        var json = ShippedJson();
        json["Remediation"]!["playbooks"] = new JsonArray([.. playbooks.Select(p => p.DeepClone())]);
        return json;
    }
}
