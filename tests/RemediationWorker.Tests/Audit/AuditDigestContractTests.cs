using System.CommandLine;
using System.Text.Json.Nodes;
using RemediationWorker.Commands;
using RemediationWorker.Tests.TestSupport;

namespace RemediationWorker.Tests.Audit;

/// <summary>The contract the checks hold the project to (issue 16): after <c>run --once</c> on the samples,
/// <c>digests/</c> beside the audit file holds a digest; <c>audit verify FILE --digests DIR</c> exits 0 on the untouched
/// file and 1 on the same file with its last two records cut off.</summary>
public sealed class AuditDigestContractTests : IDisposable
{
    private readonly AuditTestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task RunOnce_Samples_WritesADigestThatVerifiesTheFileAndCatchesItsCutOffTail()
    {
        var auditPath = Path.Combine(_dir.Path, "audit", "remediation-audit.jsonl");
        var config = _dir.File("config.json");
        var json = TestConfiguration.ShippedJson();
        json["Intake"]!["Local"]!["Path"] = RepositoryPaths.SampleEvents;
        json["Audit"] = new JsonObject { ["Path"] = auditPath };
        File.WriteAllText(config, json.ToJsonString());
        using var runError = new StringWriter();

        Assert.Equal(ExitCodes.Done, await RunCommand.RunAsync(config, once: true, runError, CancellationToken.None));

        var digests = Path.Combine(_dir.Path, "audit", "digests");
        Assert.NotEmpty(Directory.GetFiles(digests, "*.digest.json"));
        var (untouched, untouchedOutput) = Verify(auditPath, "--digests", digests);
        Assert.True(untouched == 0, untouchedOutput);

        var lines = AuditTestData.ReadLines(auditPath);
        AuditTestData.WriteLines(auditPath, lines[..^2]);
        var (cut, cutOutput) = Verify(auditPath, "--digests", digests);
        Assert.Equal(1, cut);
        Assert.Contains($"broken at line {lines.Length - 1}: seq {lines.Length - 1} expected", cutOutput, StringComparison.Ordinal);
        Assert.Contains("records were cut off", cutOutput, StringComparison.Ordinal);
    }

    private static (int ExitCode, string Output) Verify(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var root = new RootCommand("test");
        root.Subcommands.Add(AuditCommand.Create());
        var exitCode = root.Parse(["audit", "verify", .. args]).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString() + error);
    }
}
