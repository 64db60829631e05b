using System.Text.Json.Nodes;

namespace RemediationWorker.Tests.Deploy;

/// <summary>One IAM policy statement found in the template, with where it is.</summary>
/// <param name="Location">Resource logical id and property path, for messages.</param>
/// <param name="Statement">The statement as written (intrinsics unresolved).</param>
/// <param name="IsKeyPolicy">In a KMS key policy, where <c>Resource: "*"</c> means the key itself.</param>
internal sealed record PolicyStatement(string Location, JsonObject Statement, bool IsKeyPolicy)
{
    public IReadOnlyList<JsonNode?> Actions => AsList(Statement["Action"]);

    public IReadOnlyList<JsonNode?> Resources => AsList(Statement["Resource"]);

    public bool IsAllow => Statement["Effect"]?.GetValue<string>() == "Allow";

    /// <summary>Every statement under any <c>Statement</c> key of the template, including those in
    /// Fn::ForEach bodies, role trust policies, queue policies and key policies.</summary>
    public static IReadOnlyList<PolicyStatement> FindAll(JsonObject template)
    {
        var found = new List<PolicyStatement>();
        const string ResourcesSection = "Resources";
        foreach (var (name, resource) in template[ResourcesSection]!.AsObject())
        {
            Walk(resource, name, isKeyPolicy: false, found);
        }

        return found;
    }

    /// <summary>A statement, or both statements of a conditional one (<c>!If [Cond, Statement, !Ref AWS::NoValue]</c>):
    /// each branch that may be deployed is checked.</summary>
    private static IEnumerable<JsonObject> Branches(JsonNode? statement)
    {
        var obj = statement!.AsObject();
        if (obj.Count == 1 && obj["Fn::If"] is JsonArray branches)
        {
            return branches.Skip(1).OfType<JsonObject>().Where(b => b["Ref"] is null).ToList();
        }

        return [obj];
    }

    private static void Walk(JsonNode? node, string path, bool isKeyPolicy, List<PolicyStatement> found)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj)
                {
                    if (key == "Statement")
                    {
                        foreach (var statement in AsList(child).SelectMany(Branches))
                        {
                            found.Add(new PolicyStatement(path, statement, isKeyPolicy));
                        }

                        continue;
                    }

                    Walk(child, $"{path}.{key}", isKeyPolicy || key == "KeyPolicy", found);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Walk(array[i], $"{path}[{i}]", isKeyPolicy, found);
                }

                break;
        }
    }

    private static List<JsonNode?> AsList(JsonNode? node) => node switch
    {
        null => [],
        JsonArray array => [.. array],
        _ => [node],
    };
}
