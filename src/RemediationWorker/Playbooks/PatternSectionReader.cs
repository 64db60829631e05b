using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace RemediationWorker.Playbooks;

/// <summary>Turns a playbook's <c>pattern</c> configuration section back into the JSON text of the pattern.</summary>
/// <remarks>
/// <para>Configuration flattens JSON into string keys, so the object form cannot always be read back as
/// written. Two forms are accepted:</para>
/// <list type="bullet">
/// <item>A JSON string holding the pattern (<c>"pattern": "{\"source\": [\"aws.codebuild\"]}"</c>): taken
/// exactly as written. Use it for any pattern the object form cannot express.</item>
/// <item>A JSON object: arrays come back from the keys <c>0</c>, <c>1</c>, … and every leaf value comes
/// back as a string, except the numbers inside a <c>numeric</c> operator, the value of an <c>exists</c>
/// operator (a boolean), a JSON <c>null</c>, and <c>true</c>/<c>false</c> written as JSON booleans in
/// appsettings.json. A number or boolean matched exactly (<c>[200]</c>) reads back as the string
/// <c>"200"</c>: write <c>{"numeric": ["=", 200]}</c> or use the string form.</item>
/// </list>
/// </remarks>
internal static class PatternSectionReader
{
    /// <summary>Reads the pattern below <paramref name="section"/>; null when there is none.</summary>
    /// <remarks>A string wins over an object: the JSON provider gives an object no value, so a value next to
    /// children comes from an override (<c>Remediation__Playbooks__0__Pattern='{...}'</c>) that replaces the
    /// file's pattern whole.</remarks>
    public static string? Read(IConfigurationSection section)
    {
        if (!string.IsNullOrWhiteSpace(section.Value))
        {
            return section.Value;
        }

        var children = section.GetChildren().ToList();
        if (children.Count == 0)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteNode(writer, children, Context.Pattern);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private enum Context
    {
        /// <summary>An object of field names (the pattern, a nested field, or a branch of <c>$or</c>).</summary>
        Pattern,

        /// <summary>The array of branches of <c>$or</c>.</summary>
        Branches,

        /// <summary>The array of values or operators of one field.</summary>
        Values,

        /// <summary>An operator object such as <c>{"prefix": "x"}</c> inside a values array.</summary>
        Operator,

        /// <summary>The argument array of <c>numeric</c>.</summary>
        Numeric,

        /// <summary>The argument of <c>exists</c>.</summary>
        Exists,
    }

    private static void WriteNode(Utf8JsonWriter writer, List<IConfigurationSection> children, Context context)
    {
        if (IsArray(children))
        {
            writer.WriteStartArray();
            foreach (var child in children.OrderBy(c => int.Parse(c.Key, CultureInfo.InvariantCulture)))
            {
                WriteChild(writer, child, context, isArrayItem: true);
            }

            writer.WriteEndArray();
            return;
        }

        writer.WriteStartObject();
        foreach (var child in children)
        {
            writer.WritePropertyName(child.Key);
            WriteChild(writer, child, context, isArrayItem: false);
        }

        writer.WriteEndObject();
    }

    private static void WriteChild(Utf8JsonWriter writer, IConfigurationSection child, Context parent, bool isArrayItem)
    {
        var grandChildren = child.GetChildren().ToList();
        var isArray = grandChildren.Count > 0 && IsArray(grandChildren);
        var context = (parent, isArrayItem) switch
        {
            (Context.Pattern, false) when child.Key == "$or" => Context.Branches,
            (Context.Pattern, false) => isArray || grandChildren.Count == 0 ? Context.Values : Context.Pattern,
            (Context.Branches, true) => Context.Pattern,
            (Context.Values, true) => Context.Operator,
            (Context.Operator, false) when child.Key == "numeric" => Context.Numeric,
            (Context.Operator, false) when child.Key == "exists" => Context.Exists,
            (Context.Operator, false) => isArray || grandChildren.Count == 0 ? Context.Values : Context.Operator,
            _ => parent,
        };

        if (grandChildren.Count > 0)
        {
            WriteNode(writer, grandChildren, context);
            return;
        }

        WriteLeaf(writer, child.Value, context);
    }

    private static void WriteLeaf(Utf8JsonWriter writer, string? value, Context context)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                return;
            case "" when context == Context.Values:
                // The JSON provider stores an empty array as an empty value.
                writer.WriteStartArray();
                writer.WriteEndArray();
                return;
            case "True":
                // The JSON provider's spelling of a JSON true; a string "true" stays lower case.
                writer.WriteBooleanValue(true);
                return;
            case "False":
                writer.WriteBooleanValue(false);
                return;
        }

        if (context == Context.Exists && bool.TryParse(value, out var exists))
        {
            writer.WriteBooleanValue(exists);
            return;
        }

        if (context == Context.Numeric && IsJsonNumber(value))
        {
            writer.WriteRawValue(value);
            return;
        }

        writer.WriteStringValue(value);
    }

    private static bool IsArray(List<IConfigurationSection> children)
    {
        var seen = new bool[children.Count];
        foreach (var child in children)
        {
            if (!int.TryParse(child.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                || index >= children.Count || seen[index])
            {
                return false;
            }

            seen[index] = true;
        }

        return true;
    }

    private static bool IsJsonNumber(string value)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(value));
        try
        {
            return reader.Read() && reader.TokenType == JsonTokenType.Number && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
