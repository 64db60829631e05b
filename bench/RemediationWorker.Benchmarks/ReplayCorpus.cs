using System.Globalization;
using System.Text.Json.Nodes;

namespace RemediationWorker.Benchmarks;

/// <summary>Writes a day of events for replay: the shapes of <c>samples/events</c>, each with its own id,
/// one second apart, spread over a few hundred stacks and projects, with the given share matching a playbook.</summary>
internal static class ReplayCorpus
{
    private static readonly string[] Matching = ["cfn-stack-update-rollback-failed.json", "cfn-drift-detected.json", "codebuild-failed-provisioning.json"];
    private static readonly string[] LookAlikes = ["cfn-stack-create-complete.json", "cfn-drift-in-sync.json", "codebuild-succeeded.json", "codebuild-failed-in-build.json"];

    public static void Write(string samplesDirectory, string path, int count, double matchingShare, int seed)
    {
        var matching = Matching.Select(f => Load(samplesDirectory, f)).ToArray();
        var lookAlikes = LookAlikes.Select(f => Load(samplesDirectory, f)).ToArray();
        var random = new Random(seed);
        var start = new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var writer = new StreamWriter(path);
        for (var i = 0; i < count; i++)
        {
            var templates = random.NextDouble() < matchingShare ? matching : lookAlikes;
            var node = templates[random.Next(templates.Length)].DeepClone().AsObject();
            var idBytes = new byte[16];
            random.NextBytes(idBytes);
            node["id"] = new Guid(idBytes).ToString();
            node["time"] = start.AddSeconds(i).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            Vary(node["detail"]!.AsObject(), random.Next(400));
            writer.WriteLine(node.ToJsonString());
        }
    }

    private static JsonNode Load(string directory, string file) => JsonNode.Parse(File.ReadAllText(Path.Combine(directory, file)))!;

    /// <summary>Gives the event one of a few hundred resources, so cooldowns and budgets fire as in a real day.</summary>
    private static void Vary(JsonObject detail, int resource)
    {
        if (detail["stack-id"] is JsonValue stackId)
        {
            var text = stackId.GetValue<string>();
            var slash = text.IndexOf("stack/", StringComparison.Ordinal) + "stack/".Length;
            var nameEnd = text.IndexOf('/', slash);
            detail["stack-id"] = string.Concat(text.AsSpan(0, slash), $"stack-{resource:D3}", text.AsSpan(nameEnd));
        }

        if (detail["project-name"] is JsonValue project)
        {
            var name = project.GetValue<string>();
            detail["project-name"] = $"project-{resource:D3}";
            if (detail["build-id"] is JsonValue buildId)
            {
                detail["build-id"] = buildId.GetValue<string>().Replace(name + ":", $"project-{resource:D3}:", StringComparison.Ordinal);
            }
        }
    }

}
