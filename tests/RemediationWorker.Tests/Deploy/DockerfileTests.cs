using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using RemediationWorker.Testing;

namespace RemediationWorker.Tests.Deploy;

/// <summary>The Dockerfile against the project layout and the task definition (there is no Docker engine here;
/// <see cref="PublishTests"/> runs its publish command for real).</summary>
public sealed class DockerfileTests
{
    public const string PublishDirectory = "/app/publish";
    public const string ProjectPath = "src/RemediationWorker/RemediationWorker.csproj";

    private readonly Dockerfile _dockerfile = Dockerfile.Load();

    [Fact]
    public void Stages_BuildOnSdkRunOnChiseledRuntime()
    {
        Assert.Equal(2, _dockerfile.Stages.Count);
        Assert.Equal("mcr.microsoft.com/dotnet/sdk:10.0", _dockerfile.Stages[0].Image);
        Assert.Equal("build", _dockerfile.Stages[0].Name);
        Assert.Equal("mcr.microsoft.com/dotnet/runtime:10.0-noble-chiseled", _dockerfile.Final.Image);
    }

    [Fact]
    public void Copy_EverySourceFromTheContext_ExistsInTheRepository()
    {
        var copies = _dockerfile.Stages.SelectMany(s => s.All("COPY")).Where(c => c.Flag("from") is null).ToList();

        Assert.NotEmpty(copies);
        Assert.All(copies.SelectMany(c => c.CopySources), source =>
        {
            var path = Path.Combine(RepositoryPaths.Root, source.TrimEnd('/'));
            Assert.True(File.Exists(path) || Directory.Exists(path), $"COPY {source}: not in the repository");
        });
    }

    [Fact]
    public void Copy_FromAnotherStage_NamesAnEarlierStageAndItsPublishOrAuditDirectory()
    {
        var copies = _dockerfile.Final.All("COPY").Where(c => c.Flag("from") is not null).ToList();

        Assert.NotEmpty(copies);
        Assert.All(copies, c => Assert.Equal("build", c.Flag("from")));
        Assert.Contains(copies, c => c.CopySources.SequenceEqual([PublishDirectory + "/"]) && c.Words[^1] == "/app/");
        Assert.Contains(copies, c => c.Words[^1] == "/app/audit/" && c.Flag("chown") == "1654:1654");
    }

    [Fact]
    public void Restore_CopiesEveryProjectTheWorkerReferences()
    {
        var copied = _dockerfile.Stages[0].All("COPY").SelectMany(c => c.CopySources).ToHashSet(StringComparer.Ordinal);

        foreach (var project in ProjectClosure(ProjectPath))
        {
            Assert.Contains(project, copied);
        }

        Assert.Contains("Directory.Build.props", copied);
        Assert.Contains("Directory.Packages.props", copied);
        Assert.Contains("eng/", copied); // BannedSymbols.txt, referenced by Directory.Build.props
    }

    [Fact]
    public void Publish_ReferencesTheRealProjectWhoseAssemblyIsTheEntryPoint()
    {
        var publish = Assert.Single(_dockerfile.Stages[0].All("RUN"), r => r.Arguments.StartsWith("dotnet publish ", StringComparison.Ordinal));
        var words = publish.Words;

        Assert.Equal(ProjectPath, words[2]);
        Assert.True(File.Exists(Path.Combine(RepositoryPaths.Root, ProjectPath)));
        Assert.Equal("Release", words[words.ToList().IndexOf("-c") + 1]);
        Assert.Equal(PublishDirectory, words[words.ToList().IndexOf("-o") + 1]);
        Assert.Equal("remediation-worker", AssemblyName());
    }

    [Fact]
    public void RestoreAndPublish_ForTheTaskDefinitionsArchitectureAndPrecompiled()
    {
        var runs = _dockerfile.Stages[0].All("RUN").ToList();
        var restore = Assert.Single(runs, r => r.Arguments.StartsWith("dotnet restore ", StringComparison.Ordinal)).Words.ToList();
        var publish = Assert.Single(runs, r => r.Arguments.StartsWith("dotnet publish ", StringComparison.Ordinal)).Words.ToList();

        // The task runs on X86_64 (the template's RuntimePlatform): the image's code is precompiled for linux-x64.
        Assert.Contains("CpuArchitecture: X86_64", File.ReadAllText(DeployFiles.Template), StringComparison.Ordinal);
        Assert.Equal("linux-x64", restore[restore.IndexOf("-r") + 1]);
        Assert.Equal("linux-x64", publish[publish.IndexOf("-r") + 1]);
        Assert.Contains("-p:PublishReadyToRun=true", publish);
        Assert.Contains("-p:PublishReadyToRun=true", restore); // else the ReadyToRun compiler is not restored (NETSDK1094)
        Assert.Contains("--self-contained", publish); // false: the runtime image brings .NET
        Assert.Equal("false", publish[publish.IndexOf("--self-contained") + 1]);
        Assert.Contains("--no-restore", publish);
    }

    [Fact]
    public void AppSettings_CopiedForTheBuildButNeverPublished()
    {
        var copied = _dockerfile.Stages[0].All("COPY").SelectMany(c => c.CopySources).ToList();
        Assert.Contains("appsettings.json", copied);
        Assert.Contains("appsettings.schema.json", copied);

        var project = XDocument.Load(Path.Combine(RepositoryPaths.Root, ProjectPath));
        var links = project.Descendants("Content").Where(c => c.Attribute("Link") is not null).ToList();
        Assert.Equal(["appsettings.json", "appsettings.schema.json"], links.Select(c => (string?)c.Attribute("Link")));
        Assert.All(links, c => Assert.Equal("Never", (string?)c.Attribute("CopyToPublishDirectory")));
    }

    [Fact]
    public void FinalStage_RunsAsTheNonRootAppUserOfTheTaskDefinition()
    {
        var user = Assert.Single(_dockerfile.Final.All("USER")).Arguments;

        Assert.Equal("1654", user);
        Assert.Contains("User: '1654:1654'", File.ReadAllText(DeployFiles.Template), StringComparison.Ordinal);
    }

    [Fact]
    public void EntryPoint_IsThePublishedExecutableTheHealthCheckCalls()
    {
        var entryPoint = JsonSerializer.Deserialize<string[]>(Assert.Single(_dockerfile.Final.All("ENTRYPOINT")).Arguments)!;

        Assert.Equal(["/app/" + AssemblyName()], entryPoint);
        Assert.Equal("/app", Assert.Single(_dockerfile.Final.All("WORKDIR")).Arguments);
        Assert.Matches(
            new Regex(@"Command: \['CMD', '" + Regex.Escape(entryPoint[0]) + "', 'health'\\]"),
            File.ReadAllText(DeployFiles.Template));
        Assert.Empty(_dockerfile.Final.All("CMD")); // no args = run
    }

    [Fact]
    public void DockerIgnore_KeepsBuildOutputOutButNotTheSources()
    {
        var ignored = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, ".dockerignore"))
            .Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();

        Assert.Contains("artifacts/", ignored);
        Assert.Contains("**/bin/", ignored);
        Assert.Contains("**/obj/", ignored);
        Assert.DoesNotContain(ignored, l => l.StartsWith("src", StringComparison.Ordinal) || l.StartsWith("eng", StringComparison.Ordinal) || l.StartsWith("appsettings", StringComparison.Ordinal));
    }

    internal static string AssemblyName() =>
        XDocument.Load(Path.Combine(RepositoryPaths.Root, ProjectPath)).Descendants("AssemblyName").Single().Value;

    /// <summary>The project and every project it references, transitively, as repository-relative paths.</summary>
    private static HashSet<string> ProjectClosure(string project)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var current))
        {
            if (!seen.Add(current))
            {
                continue;
            }

            var directory = Path.GetDirectoryName(Path.Combine(RepositoryPaths.Root, current))!;
            foreach (var reference in XDocument.Load(Path.Combine(RepositoryPaths.Root, current)).Descendants("ProjectReference"))
            {
                var full = Path.GetFullPath(Path.Combine(directory, (string)reference.Attribute("Include")!));
                pending.Push(Path.GetRelativePath(RepositoryPaths.Root, full).Replace('\\', '/'));
            }
        }

        return seen;
    }
}
