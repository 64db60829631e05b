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
    [InlineData("Execution", typeof(ExecutionSection))]
    [InlineData("Intake", typeof(IntakeOptions))]
    [InlineData("Health", typeof(RemediationWorker.Diagnostics.HealthOptions))]
    [InlineData("Ledger", typeof(RemediationWorker.Ledger.LedgerOptions))]
    [InlineData("Configuration", typeof(RemediationWorker.Configuration.ConfigurationOptions))]
    public void Schema_Section_MatchesOptionsClassCaseSensitively(string section, Type optionsType)
    {
        // Spelt as validate expects them (ConfigurationShapeChecker): camelCase in Remediation, PascalCase elsewhere.
        var mismatches = new List<string>();

        Compare(Schema["properties"]![section]!.AsObject(), optionsType, section, mismatches, camel: section == "Remediation");

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

    [Fact]
    public void Sections_EveryOneValidateChecks_IsInTheSchemaOrTheTest()
    {
        // A section validate checks but this test does not compare would drift from the schema unseen.
        var compared = new[] { "Remediation", "Execution", "Intake", "Health", "Ledger", "Configuration" };
        var notCompared = WorkerSectionsChecker.Sections.Select(s => s.Section).Except(compared).ToList();

        Assert.Equal(["Audit", "Aws"], notCompared); // Audit is not in the schema; Aws holds polymorphic resilience options
    }

    private static void Compare(JsonObject schema, Type type, string path, List<string> mismatches, bool camel)
    {
        var schemaProperties = schema["properties"]?.AsObject() ?? [];
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).ToList();

        foreach (var property in properties)
        {
            var spelt = camel ? ConfigurationShapeChecker.ToCamel(property.Name) : property.Name;
            var entry = schemaProperties.FirstOrDefault(s => string.Equals(s.Key, spelt, StringComparison.Ordinal));
            if (entry.Value is null)
            {
                mismatches.Add($"{path}.{spelt}: in the options class, not in the schema (spelt so)");
                continue;
            }

            var nested = NestedType(property.PropertyType);
            if (nested is not null && property.Name != nameof(PlaybookOptions.Pattern))
            {
                var nestedSchema = entry.Value["items"]?.AsObject() ?? entry.Value["additionalProperties"] as JsonObject ?? entry.Value.AsObject();
                Compare(nestedSchema, nested, $"{path}.{spelt}", mismatches, camel);
            }
        }

        foreach (var (name, _) in schemaProperties)
        {
            if (!name.StartsWith('$') && !properties.Any(p => string.Equals(camel ? ConfigurationShapeChecker.ToCamel(p.Name) : p.Name, name, StringComparison.Ordinal)))
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
