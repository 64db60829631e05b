using System.Diagnostics;
using RemediationWorker.Testing;

namespace RemediationWorker.Tests.Deploy;

/// <summary>Runs the Dockerfile's build stage as Docker would, without Docker: its COPY lines into a fresh context
/// directory (the stage's WORKDIR), then its <c>dotnet</c> RUN lines in order, with <c>NUGET_PACKAGES</c> pointing
/// at an empty folder of its own, so the build passes on a machine that never restored anything (a package that only
/// an earlier build left behind cannot hide a missing restore). The publish output goes to a temporary directory
/// instead of /app/publish. Slow on purpose: every package is downloaded, then a ReadyToRun Release build (1-2 min).</summary>
public sealed class PublishTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("publish-").FullName;

    private string Context => Path.Combine(_root, "src");

    private string Output => Path.Combine(_root, "publish");

    private string Packages => Path.Combine(_root, "nuget-packages");

    [Fact]
    public async Task BuildStage_EmptyNuGetFolderSlowReleaseBuild_OutputHasPrecompiledExecutableAndNoConfiguration()
    {
        var stage = Dockerfile.Load().Stages[0];
        Assert.Equal("/src", Assert.Single(stage.All("WORKDIR")).Arguments);
        Directory.CreateDirectory(Context);
        Directory.CreateDirectory(Packages);
        var ran = new List<string>();
        foreach (var instruction in stage.Instructions)
        {
            if (instruction.Keyword == "COPY")
            {
                CopyIntoContext(instruction);
            }
            else if (instruction.Keyword == "RUN" && instruction.Words[0] == "dotnet")
            {
                var arguments = instruction.Words.Skip(1).Select(w => w == DockerfileTests.PublishDirectory ? Output : w).ToList();
                var (exitCode, log) = await RunDotnetAsync(arguments);
                Assert.True(exitCode == 0, $"{instruction.Arguments} exited {exitCode} with an empty NuGet folder:\n{log}");
                ran.Add(instruction.Words[1]);
            }
        }

        Assert.Equal(["restore", "publish"], ran);
        var executable = Path.Combine(Output, DockerfileTests.AssemblyName());
        Assert.True(File.Exists(executable), $"no {executable}");
        if (!OperatingSystem.IsWindows())
        {
            Assert.True(File.GetUnixFileMode(executable).HasFlag(UnixFileMode.UserExecute), "the apphost is not executable");
        }

        var worker = Path.Combine(Output, "remediation-worker.dll");
        Assert.True(File.Exists(worker));
        Assert.True(IsReadyToRun(worker), "remediation-worker.dll is not precompiled (ReadyToRun)");
        // The repository's appsettings.json is the samples' configuration for local runs: never live in the image.
        Assert.False(File.Exists(Path.Combine(Output, "appsettings.json")), "the image carries the samples' configuration");
        Assert.False(Directory.Exists(Path.Combine(Output, "samples")), "samples are not part of the image");

        // The health check's command line, run on the published executable: before any poll there is no heartbeat.
        var config = Path.Combine(_root, "health-test.json");
        File.WriteAllText(config, $$"""{ "Health": { "HeartbeatPath": "{{Path.Combine(_root, "audit", ".heartbeat")}}" } }""");
        var (healthExit, healthOutput) = await RunAsync(executable, ["health", "--config", config], _root);
        Assert.Equal(1, healthExit);
        Assert.StartsWith("unhealthy: no heartbeat yet", healthOutput);

        // With no configuration anywhere (none given, none in the working directory, none beside the executable),
        // the worker says where it looked and exits 2.
        var (runExit, runOutput) = await RunAsync(executable, ["run", "--once"], _root);
        Assert.Equal(2, runExit);
        Assert.Contains("no configuration", runOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", runOutput, StringComparison.Ordinal);
    }

    /// <summary>COPY as Docker does it: a file into the destination (a folder when it ends in '/'), a folder's
    /// contents into the destination folder; both relative to the WORKDIR; .dockerignore'd names are never in
    /// the sources the Dockerfile names (DockerfileTests checks they exist in the repository).</summary>
    private void CopyIntoContext(DockerInstruction copy)
    {
        var destination = copy.Words[^1] == "./" ? Context : Path.Combine(Context, copy.Words[^1].TrimEnd('/'));
        foreach (var source in copy.CopySources)
        {
            var from = Path.Combine(RepositoryPaths.Root, source.TrimEnd('/'));
            if (Directory.Exists(from))
            {
                foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
                {
                    var target = Path.Combine(destination, Path.GetRelativePath(from, file));
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    File.Copy(file, target, overwrite: true);
                }
            }
            else
            {
                Directory.CreateDirectory(destination);
                File.Copy(from, Path.Combine(destination, Path.GetFileName(from)), overwrite: true);
            }
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    /// <summary>A ReadyToRun image carries native code beside its IL: the CLI header's managed native header.</summary>
    private static bool IsReadyToRun(string assembly)
    {
        using var stream = File.OpenRead(assembly);
        using var reader = new System.Reflection.PortableExecutable.PEReader(stream);
        return reader.PEHeaders.CorHeader?.ManagedNativeHeaderDirectory.Size > 0;
    }

    private Task<(int ExitCode, string Log)> RunDotnetAsync(IEnumerable<string> arguments) =>
        RunAsync(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet", arguments, Context, Packages);

    private static async Task<(int ExitCode, string Log)> RunAsync(string fileName, IEnumerable<string> arguments, string workingDirectory, string? packages = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (fileName.EndsWith("dotnet", StringComparison.Ordinal) || fileName.EndsWith("dotnet.exe", StringComparison.Ordinal))
        {
            start.ArgumentList.Add("-nologo");
        }
        else if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } dotnetHost && File.Exists(dotnetHost))
        {
            // The apphost finds the runtime the tests run on.
            start.Environment["DOTNET_ROOT"] = Path.GetDirectoryName(dotnetHost);
        }
        // The test host runs under `dotnet test`: its MSBuild variables would point the child build at the wrong SDK parts.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        if (packages is not null)
        {
            start.Environment["NUGET_PACKAGES"] = packages;
        }

        // Only what the test names may configure the worker it runs.
        start.Environment.Remove("REMEDIATION_CONFIG");
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
