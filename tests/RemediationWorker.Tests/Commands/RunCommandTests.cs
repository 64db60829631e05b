using RemediationWorker.Commands;
using RemediationWorker.Tests.TestSupport;

namespace RemediationWorker.Tests.Commands;

/// <summary><c>run</c>'s exits before the host starts: what cannot be read is exit 2, in one line, no stack trace.</summary>
public sealed class RunCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("run-").FullName;
    private readonly StringWriter _error = new();

    private string Config => Path.Combine(_directory, "config.json");

    [Fact]
    public async Task Run_OnceLocalEventsFolderMissing_ExitsTwoNamingTheFolder()
    {
        var json = TestConfiguration.ShippedJson();
        json["Intake"]!["Local"]!["Path"] = Path.Combine(_directory, "no-such-folder");
        File.WriteAllText(Config, json.ToJsonString());

        var exit = await RunCommand.RunAsync(Config, once: true, _error, CancellationToken.None);

        Assert.Equal(ExitCodes.Unreadable, exit);
        Assert.Equal($"no events to read: the local event source {Path.Combine(_directory, "no-such-folder")} (Intake:Local:Path) does not exist", _error.ToString().Trim());
    }

    [Fact]
    public async Task Run_ConfigurationNotJson_ExitsTwoSayingSo()
    {
        File.WriteAllText(Config, "{ \"Remediation\": ");

        var exit = await RunCommand.RunAsync(Config, once: true, _error, CancellationToken.None);

        Assert.Equal(ExitCodes.Unreadable, exit);
        Assert.Contains("is not valid JSON", _error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ConfigurationInvalid_ExitsTwoListingEachError()
    {
        var json = TestConfiguration.ShippedJson();
        json["Intake"]!["Local"]!["Path"] = RepositoryPaths.SampleEvents;
        TestConfiguration.Playbook(json, "drift-sweep")["runbook"]!["documentName"] = "AWS-DeleteStack";
        File.WriteAllText(Config, json.ToJsonString());

        var exit = await RunCommand.RunAsync(Config, once: true, _error, CancellationToken.None);

        Assert.Equal(ExitCodes.Unreadable, exit);
        Assert.StartsWith("playbooks[drift-sweep].runbook.documentName: \"AWS-DeleteStack\" is not in allowedDocuments", _error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ConfigurationFileMissing_ExitsTwo()
    {
        var exit = await RunCommand.RunAsync(Config, once: true, _error, CancellationToken.None);

        Assert.Equal(ExitCodes.Unreadable, exit);
        Assert.Equal($"no configuration file at {Config}", _error.ToString().Trim());
    }

    [Fact]
    public async Task Run_AuditCannotBeWritten_ExitsThreeInOneLine()
    {
        var blocker = Path.Combine(_directory, "a-file");
        File.WriteAllText(blocker, string.Empty);
        var json = TestConfiguration.ShippedJson();
        json["Intake"]!["Local"]!["Path"] = RepositoryPaths.SampleEvents;
        json["Audit"] = new System.Text.Json.Nodes.JsonObject { ["Path"] = Path.Combine(blocker, "audit.jsonl") };
        File.WriteAllText(Config, json.ToJsonString());

        var exit = await RunCommand.RunAsync(Config, once: true, _error, CancellationToken.None);

        Assert.Equal(ExitCodes.Unfinished, exit);
        Assert.StartsWith("the worker cannot start: ", _error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_ConfigurationFileMissing_ExitsTwo()
    {
        using var output = new StringWriter();

        Assert.Equal(ExitCodes.Unreadable, await ValidateCommand.RunAsync(Config, output, _error, CancellationToken.None));
        Assert.Empty(output.ToString());
    }

    public void Dispose()
    {
        _error.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
