using System.Reflection;
using System.Text.Json.Nodes;
using RemediationWorker.Execution;
using RemediationWorker.Intake;
using RemediationWorker.Playbooks;
using RemediationWorker.Tests.TestSupport;

namespace RemediationWorker.Tests.Playbooks;

/// <summary>Keeps appsettings.schema.json and the options classes in step, both ways.</summary>
public sealed class AppSettingsSchemaTests
{
    private static readonly JsonObject Schema = JsonNode.Parse(File.ReadAllText(RepositoryPaths.Schema))!.AsObject();

    [Theory]
    [InlineData("Remediation", typeof(RemediationOptions))]
    [InlineData("Execution", typeof(ExecutionOptions))]
    [InlineData("Intake", typeof(IntakeOptions))]
    [InlineData("Health", typeof(RemediationWorker.Diagnostics.HealthOptions))]
    [InlineData("Configuration", typeof(RemediationWorker.Configuration.ConfigurationOptions))]
    public void Schema_Section_MatchesOptionsClass(string section, Type optionsType)
    {
        var mismatches = new List<string>();

        Compare(Schema["properties"]![section]!.AsObject(), optionsType, section, mismatches);

        Assert.Empty(mismatches);
    }

    [Fact]
    public void AppSettings_ReferencesTheSchema()
        => Assert.Equal("./appsettings.schema.json", (string?)TestConfiguration.ShippedJson()["$schema"]);

    [Fact]
    public void Schema_RemediationObjects_RefuseUnknownFieldsLikeTheValidator()
    {
        var remediation = Schema["properties"]!["Remediation"]!.AsObject();
        var playbook = remediation["properties"]!["playbooks"]!["items"]!.AsObject();

        Assert.False((bool)remediation["additionalProperties"]!);
        Assert.False((bool)playbook["additionalProperties"]!);
    }

    private static void Compare(JsonObject schema, Type type, string path, List<string> mismatches)
    {
        var schemaProperties = schema["properties"]?.AsObject() ?? [];
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).ToList();

        foreach (var property in properties)
        {
            var entry = schemaProperties.FirstOrDefault(s => string.Equals(s.Key, property.Name, StringComparison.OrdinalIgnoreCase));
            if (entry.Value is null)
            {
                mismatches.Add($"{path}.{property.Name}: in the options class, not in the schema");
                continue;
            }

            var nested = NestedType(property.PropertyType);
            if (nested is not null && property.Name != nameof(PlaybookOptions.Pattern))
            {
                var nestedSchema = entry.Value["items"]?.AsObject() ?? entry.Value["additionalProperties"] as JsonObject ?? entry.Value.AsObject();
                Compare(nestedSchema, nested, $"{path}.{property.Name}", mismatches);
            }
        }

        foreach (var (name, _) in schemaProperties)
        {
            if (!name.StartsWith('$') && !properties.Any(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)))
            {
                mismatches.Add($"{path}.{name}: in the schema, not in the options class");
            }
        }
    }

    /// <summary>The options class inside a property (itself, a list item, a dictionary value), or null for values.</summary>
    private static Type? NestedType(Type type)
    {
        if (type.IsGenericType)
        {
            var argument = type.GetGenericArguments()[^1];
            return argument.IsClass && argument != typeof(string) ? argument : null;
        }

        return type.IsClass && type != typeof(string) ? type : null;
    }
}
