using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace RemediationWorker.Tests.Deploy;

/// <summary>Evaluates the CloudFormation intrinsic functions the template uses in values the tests inspect
/// (Ref, Fn::Sub, Fn::Join, Fn::Split, Fn::Select, Fn::GetAtt, and Fn::If on the template's Conditions, an
/// <c>AWS::NoValue</c> branch dropping its property or list item) against given parameter values. A resource's
/// Ref becomes <c>&lt;Logical&gt;</c> (an SSM document's, its Name) and a GetAtt <c>&lt;Logical.Attribute&gt;</c>, so tests can still see what
/// a value points to.</summary>
internal sealed partial class CfnIntrinsics
{
    private readonly Dictionary<string, JsonNode> _values = new(StringComparer.Ordinal)
    {
        ["AWS::Partition"] = "aws",
        ["AWS::Region"] = "us-east-1",
        ["AWS::AccountId"] = "111122223333",
        ["AWS::StackName"] = "remediation-worker",
        ["AWS::URLSuffix"] = "amazonaws.com",
    };

    /// <summary>What <c>Ref AWS::NoValue</c> resolves to until the enclosing object or list drops it.</summary>
    private const string NoValue = "\u0000AWS::NoValue";

    private readonly JsonObject _conditions;

    public CfnIntrinsics(JsonObject template, IReadOnlyDictionary<string, JsonNode> parameters)
    {
        _values["AWS::NoValue"] = NoValue;
        _conditions = template["Conditions"]?.AsObject() ?? [];
        foreach (var (name, value) in parameters)
        {
            _values[name] = value.DeepClone();
        }

        foreach (var (name, resource) in template["Resources"]!.AsObject())
        {
            // An SSM document's Ref is its name; the template names its documents.
            var documentName = resource is JsonObject obj && obj["Type"]?.GetValue<string>() == "AWS::SSM::Document"
                ? obj["Properties"]?["Name"] as JsonValue
                : null;
            _values.TryAdd(name, documentName?.GetValue<string>() ?? $"<{name}>");
        }
    }

    /// <summary>With <paramref name="values"/>, and every other parameter at its default (a list default split on commas).</summary>
    public static CfnIntrinsics WithDefaults(JsonObject template, IReadOnlyDictionary<string, JsonNode> values)
    {
        var all = new Dictionary<string, JsonNode>(values, StringComparer.Ordinal);
        foreach (var (name, parameter) in template["Parameters"]!.AsObject())
        {
            if (!all.ContainsKey(name) && parameter!["Default"] is JsonValue fallback)
            {
                var text = fallback.GetValue<string>();
                all[name] = parameter["Type"]!.GetValue<string>().Contains("List", StringComparison.Ordinal)
                    ? new JsonArray(text.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => (JsonNode)s).ToArray())
                    : text;
            }
        }

        return new CfnIntrinsics(template, all);
    }

    public JsonNode? Resolve(JsonNode? node)
    {
        switch (node)
        {
            case JsonArray array:
                return new JsonArray(array.Select(Resolve).Where(v => !IsNoValue(v)).ToArray());
            case JsonObject obj when obj.Count == 1 && IsFunction(obj.First().Key):
                return Evaluate(obj.First().Key, obj.First().Value);
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    var resolved = Resolve(value);
                    if (!IsNoValue(resolved))
                    {
                        copy[key] = resolved;
                    }
                }

                return copy;
            default:
                return node?.DeepClone();
        }
    }

    public string ResolveString(JsonNode? node) => Resolve(node) is JsonValue value
        ? value.GetValue<string>()
        : throw new InvalidOperationException($"{node?.ToJsonString()} does not resolve to a string");

    /// <summary>A condition of the template's Conditions section, evaluated with the parameter values.</summary>
    public bool Condition(string name) => IsTrue(_conditions[name] ?? throw new InvalidOperationException($"no condition {name}"));

    private static bool IsFunction(string key) => key == "Ref" || key.StartsWith("Fn::", StringComparison.Ordinal);

    private static bool IsNoValue(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) && text == NoValue;

    private bool IsTrue(JsonNode condition)
    {
        var (function, argument) = condition.AsObject().Single();
        return function switch
        {
            "Condition" => Condition(argument!.GetValue<string>()),
            "Fn::Equals" => JsonNode.DeepEquals(Resolve(argument![0]), Resolve(argument[1])),
            "Fn::Not" => !IsTrue(argument![0]!),
            "Fn::And" => argument!.AsArray().All(c => IsTrue(c!)),
            "Fn::Or" => argument!.AsArray().Any(c => IsTrue(c!)),
            _ => throw new InvalidOperationException($"{function} is not a condition function"),
        };
    }

    private JsonNode? Evaluate(string function, JsonNode? argument)
    {
        switch (function)
        {
            case "Ref":
                var name = argument!.GetValue<string>();
                return _values.TryGetValue(name, out var value)
                    ? value.DeepClone()
                    : throw new InvalidOperationException($"Ref to unknown {name}");
            case "Fn::GetAtt":
                var parts = argument!.AsArray().Select(p => p!.GetValue<string>()).ToArray();
                return $"<{parts[0]}.{parts[1]}>";
            case "Fn::Sub" when argument is JsonValue text:
                return Substitute(text.GetValue<string>(), new Dictionary<string, string>(StringComparer.Ordinal));
            case "Fn::Sub":
                var args = argument!.AsArray();
                var variables = args[1]!.AsObject().ToDictionary(p => p.Key, p => ResolveString(p.Value), StringComparer.Ordinal);
                return Substitute(args[0]!.GetValue<string>(), variables);
            case "Fn::Join":
                var join = argument!.AsArray();
                var items = Resolve(join[1])!.AsArray().Select(i => i!.GetValue<string>());
                return string.Join(join[0]!.GetValue<string>(), items);
            case "Fn::Split":
                var split = argument!.AsArray();
                return new JsonArray(ResolveString(split[1]).Split(split[0]!.GetValue<string>()).Select(s => (JsonNode)s).ToArray());
            case "Fn::Select":
                var select = argument!.AsArray();
                return Resolve(select[1])!.AsArray()[int.Parse(ResolveString(select[0]), System.Globalization.CultureInfo.InvariantCulture)]?.DeepClone();
            case "Fn::If":
                var branches = argument!.AsArray();
                return Resolve(Condition(branches[0]!.GetValue<string>()) ? branches[1] : branches[2]);
            default:
                throw new InvalidOperationException($"{function} is not evaluated by the tests");
        }
    }

    private string Substitute(string template, Dictionary<string, string> variables) =>
        SubVariable().Replace(template, match =>
        {
            var name = match.Groups["name"].Value;
            if (name.StartsWith('!'))
            {
                return "${" + name[1..] + "}";
            }

            if (variables.TryGetValue(name, out var local))
            {
                return local;
            }

            var dot = name.IndexOf('.', StringComparison.Ordinal);
            if (dot > 0 && !name.StartsWith("AWS::", StringComparison.Ordinal))
            {
                return $"<{name}>";
            }

            return _values.TryGetValue(name, out var value) && value is JsonValue text
                ? text.GetValue<string>()
                : throw new InvalidOperationException($"Fn::Sub variable {name} is not a string value");
        });

    [GeneratedRegex(@"\$\{(?<name>[^}]+)\}")]
    private static partial Regex SubVariable();
}
