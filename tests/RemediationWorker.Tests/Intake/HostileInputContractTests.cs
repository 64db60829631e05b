using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.Json;
using RemediationWorker.Tests.TestSupport;

namespace RemediationWorker.Tests.Intake;

/// <summary>Issue 15's contract, on the worker as it ships (its own process, the shipped appsettings.json, the JSON
/// console logs): <c>run --once</c> over a folder mixing good event files and hostile ones plans the good ones,
/// writes a <c>rejected</c> record naming each hostile file, plans nothing from them, keeps every audit and log line
/// within 16 KiB, and exits 0.</summary>
public sealed class HostileInputContractTests : IDisposable
{
    private const int MaxLineBytes = 16 * 1024;
    private readonly string _directory = Directory.CreateTempSubdirectory("hostile-").FullName;

    public static string Fixtures => Path.Combine(RepositoryPaths.Root, "tests", "RemediationWorker.Tests", "Fixtures", "hostile-events");

    [Fact]
    public async Task RunOnce_GoodAndHostileFiles_PlansTheGoodRejectsEachHostileBoundsEveryLineExitsZero()
    {
        var audit = Path.Combine(_directory, "audit.jsonl");

        var (exit, stdout, stderr) = await RunOnceAsync(Fixtures, audit);

        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        var records = File.ReadAllLines(audit).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        string?[] Names(string decision) => records.Where(r => r.GetProperty("decision").GetString() == decision)
            .Select(r => r.TryGetProperty("input", out var input) ? input.GetString() : null).ToArray();

        // The good files and the good lines of mixed.jsonl are planned.
        var planned = records.Where(r => r.GetProperty("decision").GetString() == "planned").Select(r => r.GetProperty("eventId").GetString()).ToList();
        Assert.Equal(["8f3b2a1c-6d4e-4f5a-9b8c-7d6e5f4a3b21", "c4d5e6f7-0819-4a2b-8c3d-4e5f6a7b8c9d", "line-1", "line-5"], planned);

        // Each hostile input has a rejected record naming it, with the rule it broke.
        var rejected = records.Where(r => r.GetProperty("decision").GetString() == "rejected")
            .ToDictionary(r => r.GetProperty("input").GetString()!, r => r.GetProperty("reason").GetString()!);
        Assert.StartsWith("duplicate-member: ", rejected["duplicate-nested.json"], StringComparison.Ordinal);
        Assert.StartsWith("duplicate-member: \"stack-id\"", rejected["duplicate-stack-id.json"], StringComparison.Ordinal);
        Assert.StartsWith("invalid-utf8: ", rejected["invalid-utf8-source.json"], StringComparison.Ordinal);
        Assert.StartsWith("lone-surrogate: ", rejected["surrogate-in-detail.json"], StringComparison.Ordinal);
        Assert.StartsWith("lone-surrogate: ", rejected["surrogate-in-id.json"], StringComparison.Ordinal);
        Assert.StartsWith("string-too-long: ", rejected["huge-id.json"], StringComparison.Ordinal);
        Assert.StartsWith("string-too-long: ", rejected["huge-stack-id.json"], StringComparison.Ordinal);
        Assert.StartsWith("lone-surrogate: ", rejected["mixed.jsonl:2"], StringComparison.Ordinal);
        Assert.StartsWith("duplicate-member: \"id\"", rejected["mixed.jsonl:3"], StringComparison.Ordinal);
        Assert.StartsWith("invalid-utf8: ", rejected["mixed.jsonl:4"], StringComparison.Ordinal);
        Assert.Equal(10, Names("rejected").Length);

        // Nothing but the four good events went past the reader, and one long-winded look-alike matched nothing.
        Assert.Equal(4, records.Count(r => r.GetProperty("decision").GetString() == "matched"));
        var noMatch = Assert.Single(records, r => r.GetProperty("decision").GetString() == "no-match");
        var id = new string('\u00e9', 8000);
        var cutId = noMatch.GetProperty("eventId").GetString()!;
        Assert.InRange(cutId.Length, 512, 1024);
        Assert.StartsWith(cutId, id, StringComparison.Ordinal);
        var truncated = noMatch.GetProperty("truncated").GetProperty("eventId");
        Assert.Equal(8000, truncated.GetProperty("length").GetInt32());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(id))), truncated.GetProperty("sha256").GetString());

        Assert.All(File.ReadAllLines(audit), line => Assert.InRange(Encoding.UTF8.GetByteCount(line), 1, MaxLineBytes));
        var logLines = stdout.Split('\n');
        Assert.Contains(logLines, l => l.Contains("surrogate-in-id.json", StringComparison.Ordinal));
        Assert.All(logLines, line => Assert.InRange(Encoding.UTF8.GetByteCount(line), 0, MaxLineBytes));
    }

    [Fact]
    public async Task RunOnce_AnUnreadableFile_ExitsThreeNamingItAfterReadingTheRest()
    {
        var events = Directory.CreateDirectory(Path.Combine(_directory, "events")).FullName;
        File.Copy(Path.Combine(Fixtures, "good-drift.json"), Path.Combine(events, "a.json"));
        File.CreateSymbolicLink(Path.Combine(events, "b.json"), Path.Combine(events, "gone.json"));
        var audit = Path.Combine(_directory, "audit.jsonl");

        var (exit, _, stderr) = await RunOnceAsync(events, audit);

        Assert.Equal(3, exit);
        Assert.StartsWith("not read: b.json: unreadable: ", stderr, StringComparison.Ordinal);
        Assert.Contains(File.ReadAllLines(audit), l => l.Contains("\"decision\":\"planned\"", StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>Runs <c>remediation-worker run --once</c> as its own build writes it, with the shipped configuration.</summary>
    internal static async Task<(int Exit, string Stdout, string Stderr)> RunOnceAsync(string events, string auditPath)
    {
        var configuration = typeof(HostileInputContractTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var worker = Path.Combine(RepositoryPaths.Root, "artifacts", "bin", "RemediationWorker", configuration.ToLowerInvariant(), "remediation-worker.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            WorkingDirectory = Path.GetDirectoryName(auditPath)!,
        };
        foreach (var argument in new[] { "exec", worker, "run", "--once" })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var key in start.Environment.Keys.Where(k => k.Contains("__", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["DOTNET_CONTENTROOT"] = Path.GetDirectoryName(worker);
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["Intake__Local__Path"] = events;
        start.Environment["Audit__Path"] = auditPath;
        start.Environment["Audit__FlushToDisk"] = "false";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
