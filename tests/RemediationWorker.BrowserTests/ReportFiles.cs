using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RemediationWorker.Audit;
using RemediationWorker.Commands;
using RemediationWorker.Testing;

namespace RemediationWorker.BrowserTests;

/// <summary>The audit files the browser tests render: the README's <c>run --once</c> over the samples, and stories the
/// samples cannot tell (a live run and the event it caused, hostile values, a tampered file).</summary>
internal sealed class ReportFiles : IDisposable
{
    public const string Pwned = "window.__pwned = 1";

    /// <summary>Values an attacker may put in an event: markup, a script end tag, an external URL.</summary>
    public static readonly string[] Hostile =
    [
        "<img src=x onerror=\"" + Pwned + "\">",
        "</script><script>" + Pwned + "</script>",
        "<svg onload=\"" + Pwned + "\"><a href=\"http://127.0.0.1:9/leak\">x</a></svg>",
        "<!--",
        "<link rel=stylesheet href=\"http://127.0.0.1:9/leak.css\">",
    ];

    private static readonly DateTimeOffset Start = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);

    public ReportFiles()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("audit-report-").FullName;
    }

    public string Directory { get; }

    public string File(string name) => Path.Combine(Directory, name);

    /// <summary>Runs the worker once over samples/events with the repository's configuration, as the README does.</summary>
    public async Task<string> RunSamplesAsync()
    {
        var json = JsonNode.Parse(await System.IO.File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "appsettings.json")))!.AsObject();
        json["Intake"]!["Local"]!["Path"] = Path.Combine(RepositoryPaths.Root, "samples", "events");
        var audit = File("samples.jsonl");
        json["Audit"] = new JsonObject { ["Path"] = audit, ["LogToStdout"] = false };
        var config = File("config.json");
        await System.IO.File.WriteAllTextAsync(config, json.ToJsonString());
        var exit = await RunCommand.RunAsync(config, once: true, new StringWriter(), CancellationToken.None);
        return exit == 0 ? audit : throw new InvalidOperationException($"run --once on the samples exited {exit}");
    }

    /// <summary>A live run (started, succeeded after 95 s) and the stack event it caused (causedBy), then hostile values.</summary>
    public async Task<string> WriteStoriesAsync()
    {
        var path = File("stories.jsonl");
        const string Stack = "arn:aws:cloudformation:eu-west-1:111122223333:stack/billing-service/1f2e3d4c-6f1d-11ef-b2f4-0e9a8b7c6d5e";
        await using var sink = new JsonLinesAuditSink(
            Options.Create(new AuditOptions { Path = path, FlushToDisk = false, LogToStdout = false }), NullLogger<JsonLinesAuditSink>.Instance);
        var run = Record(0, AuditDecision.Started, "evt-fault", Stack) with { Playbook = "stack-rollback-continue", ExecutionId = "exec-0001", Mode = "Live" };
        await sink.WriteAsync(Record(0, AuditDecision.Received, "evt-fault", Stack), CancellationToken.None);
        await sink.WriteAsync(run with { Decision = AuditDecision.Matched, ExecutionId = null }, CancellationToken.None);
        await sink.WriteAsync(run, CancellationToken.None);
        await sink.WriteAsync(run with { Time = Start.AddSeconds(95), Decision = AuditDecision.Succeeded, Status = "Success", Duration = TimeSpan.FromSeconds(95) }, CancellationToken.None);
        var caused = Record(90, AuditDecision.Received, "evt-caused", Stack) with { CausedBy = "exec-0001" };
        await sink.WriteAsync(caused, CancellationToken.None);
        await sink.WriteAsync(caused with { Decision = AuditDecision.NoMatch, Reason = "nearest playbook stack-rollback-continue: detail.status-details.status: decides no match" }, CancellationToken.None);
        for (var i = 0; i < Hostile.Length; i++)
        {
            var value = Hostile[i];
            var hostile = Record(120 + i, AuditDecision.Skipped, value, value) with { Playbook = value, Reason = value, Guard = value };
            await sink.WriteAsync(hostile with { Decision = AuditDecision.Received, Playbook = null, Reason = null, Guard = null }, CancellationToken.None);
            await sink.WriteAsync(hostile, CancellationToken.None);
        }

        return path;
    }

    /// <summary>A copy of <paramref name="path"/> with one record's reason edited: its hash no longer matches.</summary>
    public string Tamper(string path)
    {
        var lines = System.IO.File.ReadAllLines(path);
        var at = Array.FindIndex(lines, l => l.Contains("\"decision\":\"planned\"", StringComparison.Ordinal));
        lines[at] = lines[at].Replace("dry-run", "dry run", StringComparison.Ordinal);
        var copy = File("tampered.jsonl");
        System.IO.File.WriteAllText(copy, string.Join('\n', lines) + "\n");
        return copy;
    }

    /// <summary>Writes the report of <paramref name="inputs"/>; returns its path and the command's exit code.</summary>
    public async Task<(string Path, int Exit)> ReportAsync(string name, params string[] inputs)
    {
        var html = File(name);
        var exit = await AuditReportCommand.RunAsync(inputs, html, new StringWriter(), new StringWriter(), TimeProvider.System, CancellationToken.None);
        return (html, exit);
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp directory must not fail a test.
        }
    }

    private static AuditRecord Record(int seconds, AuditDecision decision, string eventId, string resource) => new()
    {
        Time = Start.AddSeconds(seconds),
        WorkerId = "worker-1",
        Decision = decision,
        ConfigHash = "c0ffee12",
        EventId = eventId,
        Source = "aws.cloudformation",
        Resource = resource,
    };
}
