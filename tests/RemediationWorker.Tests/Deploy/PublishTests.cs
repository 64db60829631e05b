using System.Diagnostics;
using RemediationWorker.Testing;

namespace RemediationWorker.Tests.Deploy;

/// <summary>Runs the Dockerfile's own <c>dotnet publish</c> (same arguments, output redirected to a temporary
/// directory) and checks what the final stage copies to /app. Slow on purpose (a Release build, 30-90 s).</summary>
public sealed class PublishTests : IDisposable
{
    private readonly string _output = Directory.CreateTempSubdirectory("publish-").FullName;

    [Fact]
    public async Task Publish_DockerfileArgumentsSlowReleaseBuild_OutputHasExecutableAndAppSettings()
    {
        var build = Dockerfile.Load().Stages[0].All("RUN").ToList();
        var restore = Assert.Single(build, r => r.Arguments.StartsWith("dotnet restore ", StringComparison.Ordinal));
        var publish = Assert.Single(build, r => r.Arguments.StartsWith("dotnet publish ", StringComparison.Ordinal));
        var arguments = publish.Words.Skip(1).Select(w => w == DockerfileTests.PublishDirectory ? _output : w).ToList();
        Assert.Contains(_output, arguments);

        // The publish does not restore (--no-restore): the restore step before it must have restored for its runtime.
        var (restoreExit, restoreLog) = await RunDotnetAsync(restore.Words.Skip(1));
        Assert.True(restoreExit == 0, $"dotnet {string.Join(' ', restore.Words.Skip(1))} exited {restoreExit}:\n{restoreLog}");
        var (exitCode, log) = await RunDotnetAsync(arguments);

        Assert.True(exitCode == 0, $"dotnet {string.Join(' ', arguments)} exited {exitCode}:\n{log}");
        var executable = Path.Combine(_output, DockerfileTests.AssemblyName());
        Assert.True(File.Exists(executable), $"no {executable}");
        if (!OperatingSystem.IsWindows())
        {
            Assert.True(File.GetUnixFileMode(executable).HasFlag(UnixFileMode.UserExecute), "the apphost is not executable");
        }

        var worker = Path.Combine(_output, "remediation-worker.dll");
        Assert.True(File.Exists(worker));
        Assert.True(IsReadyToRun(worker), "remediation-worker.dll is not precompiled (ReadyToRun)");
        Assert.Equal(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "appsettings.json")), File.ReadAllText(Path.Combine(_output, "appsettings.json")));
        Assert.True(File.Exists(Path.Combine(_output, "appsettings.schema.json")));
        Assert.False(Directory.Exists(Path.Combine(_output, "samples")), "samples are not part of the image");

        // The health check's command line, run on the published executable: before any poll there is no heartbeat.
        var config = Path.Combine(_output, "health-test.json");
        File.WriteAllText(config, $$"""{ "Health": { "HeartbeatPath": "{{Path.Combine(_output, "audit", ".heartbeat")}}" } }""");
        var (healthExit, healthOutput) = await RunAsync(executable, ["health", "--config", config]);
        Assert.Equal(1, healthExit);
        Assert.StartsWith("unhealthy: no heartbeat yet", healthOutput);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_output, recursive: true);
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

    private static Task<(int ExitCode, string Log)> RunDotnetAsync(IEnumerable<string> arguments) =>
        RunAsync(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet", arguments);

    private static async Task<(int ExitCode, string Log)> RunAsync(string fileName, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = RepositoryPaths.Root,
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

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
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
