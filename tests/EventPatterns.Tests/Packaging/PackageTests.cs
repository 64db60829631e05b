using System.Diagnostics;
using System.IO.Compression;
using System.Xml.Linq;
using RemediationWorker.Testing;

namespace EventPatterns.Tests.Packaging;

/// <summary><c>dotnet pack src/EventPatterns</c> gives a package that another project restores from a local
/// folder, with nothing else as a source, and uses to match an event.</summary>
public sealed class PackageTests : IDisposable
{
    private const string PackageId = "RemediationWorker.EventPatterns";

    private readonly string _work = Directory.CreateTempSubdirectory("eventpatterns-package-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task Pack_ConsumedFromALocalFolder_MatchesAnEventAndCarriesItsMetadata()
    {
        var feed = Path.Combine(_work, "feed");
        await DotnetAsync(RepositoryPaths.Root, "pack", Path.Combine("src", "EventPatterns"), "-c", "Release", "-o", feed);

        var package = Assert.Single(Directory.GetFiles(feed, PackageId + ".*.nupkg"));
        using (var zip = ZipFile.OpenRead(package))
        {
            var nuspec = XDocument.Load(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
            var metadata = nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata");
            string Meta(string name) => metadata.Elements().Single(e => e.Name.LocalName == name).Value;
            Assert.Equal("Apache-2.0", Meta("license"));
            Assert.Equal("README.md", Meta("readme"));
            Assert.Contains("eventbridge", Meta("tags"), StringComparison.Ordinal);
            Assert.Contains("EventBridge", Meta("description"), StringComparison.Ordinal);
            // No invented address: the repository knows none (src/EventPatterns/EventPatterns.csproj).
            Assert.Null(metadata.Elements().SingleOrDefault(e => e.Name.LocalName == "repository")?.Attribute("url"));
            Assert.DoesNotContain(metadata.Elements(), e => e.Name.LocalName == "projectUrl");
            Assert.Contains(zip.Entries, e => e.FullName == "README.md");
            Assert.Contains(zip.Entries, e => e.FullName == "lib/net10.0/EventPatterns.xml");
        }

        var consumer = Path.Combine(_work, "consumer");
        Directory.CreateDirectory(consumer);
        var version = Path.GetFileNameWithoutExtension(package)[(PackageId.Length + 1)..];
        File.WriteAllText(Path.Combine(consumer, "nuget.config"), $"""
            <configuration>
              <config><add key="globalPackagesFolder" value="{Path.Combine(_work, "packages")}" /></config>
              <packageSources><clear /><add key="local" value="{feed}" /></packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(consumer, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><Nullable>enable</Nullable><ImplicitUsings>enable</ImplicitUsings></PropertyGroup>
              <ItemGroup><PackageReference Include="{PackageId}" Version="{version}" /></ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(consumer, "Program.cs"), """"
            using System.Text;
            using EventPatterns;

            var matcher = PatternMatcher.Compile([EventPattern.Parse("""{"detail":{"status":[{"prefix":"UPDATE_ROLLBACK"}]}}""")]);
            var matches = new List<int>();
            Console.WriteLine(matcher.TryMatch(Encoding.UTF8.GetBytes("""{"detail":{"status":"UPDATE_ROLLBACK_FAILED"}}"""), matches, out _) ? $"matched {matches.Count}" : "refused");
            Console.WriteLine(EventPattern.TryParse("""{"a":[{"prefix":3}]}""", out _, out var error) ? "accepted" : $"{error.Code} {error.Path}");
            """");

        var output = await DotnetAsync(consumer, "run");

        Assert.Equal(["matched 1", "InvalidOperand a"], output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    private static async Task<string> DotnetAsync(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"dotnet {string.Join(' ', arguments)} exited {process.ExitCode}:\n{await stdout}\n{await stderr}");
        return await stdout;
    }
}
