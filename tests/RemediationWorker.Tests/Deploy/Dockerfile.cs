using RemediationWorker.Testing;

namespace RemediationWorker.Tests.Deploy;

/// <summary>The repository's Dockerfile read into stages of instructions (continuations joined, comments
/// dropped): enough to check it against the project layout without a Docker engine.</summary>
internal sealed class Dockerfile
{
    private Dockerfile(IReadOnlyList<DockerStage> stages) => Stages = stages;

    public static string FilePath { get; } = Path.Combine(RepositoryPaths.Root, "Dockerfile");

    public IReadOnlyList<DockerStage> Stages { get; }

    public DockerStage Final => Stages[^1];

    public static Dockerfile Load() => Parse(File.ReadAllText(FilePath));

    public static Dockerfile Parse(string text)
    {
        var stages = new List<DockerStage>();
        var pending = string.Empty;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                pending += line[..^1] + " ";
                continue;
            }

            var full = (pending + line).Trim();
            pending = string.Empty;
            if (full.Length == 0)
            {
                continue;
            }

            var space = full.IndexOf(' ');
            var keyword = (space < 0 ? full : full[..space]).ToUpperInvariant();
            var arguments = space < 0 ? string.Empty : full[(space + 1)..].Trim();
            if (keyword == "FROM")
            {
                var parts = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var name = parts.Length == 3 && parts[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? parts[2] : null;
                stages.Add(new DockerStage(parts[0], name, []));
            }
            else
            {
                stages[^1].Instructions.Add(new DockerInstruction(keyword, arguments));
            }
        }

        return new Dockerfile(stages);
    }
}

internal sealed record DockerStage(string Image, string? Name, List<DockerInstruction> Instructions)
{
    public IEnumerable<DockerInstruction> All(string keyword) => Instructions.Where(i => i.Keyword == keyword);
}

internal sealed record DockerInstruction(string Keyword, string Arguments)
{
    /// <summary>The words of a shell-form argument list (<c>COPY --chown=… a b ./</c>), flags included.</summary>
    public IReadOnlyList<string> Words => Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>For COPY: the source paths (every word but the flags and the destination).</summary>
    public IReadOnlyList<string> CopySources => Words.Where(w => !w.StartsWith("--", StringComparison.Ordinal)).SkipLast(1).ToList();

    public string? Flag(string name) =>
        Words.FirstOrDefault(w => w.StartsWith($"--{name}=", StringComparison.Ordinal))?[(name.Length + 3)..];
}
