using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace RemediationWorker.Tests.Deploy;

/// <summary>Reads YAML (runbooks and the CloudFormation template) into a JSON tree. Every scalar becomes a
/// string, so equality is textual. CloudFormation short-form tags become their long form:
/// <c>!Ref X</c> → <c>{"Ref": "X"}</c>, <c>!GetAtt A.B</c> → <c>{"Fn::GetAtt": ["A", "B"]}</c>, any other
/// <c>!Name value</c> → <c>{"Fn::Name": value}</c> (scalar, sequence or mapping alike).</summary>
internal static class YamlTree
{
    public static JsonNode? Load(string path) => Parse(File.ReadAllText(path));

    public static JsonNode? Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode);
    }

    private static JsonNode? Convert(YamlNode node)
    {
        JsonNode? value = node switch
        {
            YamlMappingNode mapping => Mapping(mapping),
            YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(Convert).ToArray()),
            YamlScalarNode scalar => Scalar(scalar),
            _ => throw new InvalidOperationException($"unsupported YAML node {node.NodeType} at {node.Start}"),
        };

        var tag = node.Tag.IsEmpty || node.Tag.IsNonSpecific ? null : node.Tag.Value;
        if (tag is null || !tag.StartsWith('!') || tag.StartsWith("!!", StringComparison.Ordinal))
        {
            return value;
        }

        var name = tag[1..];
        return name switch
        {
            "Ref" => new JsonObject { ["Ref"] = value },
            "Condition" => new JsonObject { ["Condition"] = value },
            "GetAtt" when value is JsonValue text => new JsonObject
            {
                ["Fn::GetAtt"] = new JsonArray(text.GetValue<string>().Split('.', 2).Select(p => (JsonNode)p).ToArray()),
            },
            _ => new JsonObject { ["Fn::" + name] = value },
        };
    }

    private static JsonObject Mapping(YamlMappingNode mapping)
    {
        var result = new JsonObject();
        foreach (var (key, child) in mapping.Children)
        {
            var name = key is YamlScalarNode scalar && scalar.Value is not null
                ? scalar.Value
                : throw new InvalidOperationException($"non-scalar mapping key at {key.Start}");
            result.Add(name, Convert(child));
        }

        return result;
    }

    private static JsonValue? Scalar(YamlScalarNode scalar)
    {
        var plain = scalar.Style is YamlDotNet.Core.ScalarStyle.Plain or YamlDotNet.Core.ScalarStyle.Any;
        if (scalar.Value is null || (plain && scalar.Value is "" or "~" or "null" or "Null" or "NULL"))
        {
            return null;
        }

        return JsonValue.Create(scalar.Value);
    }
}
