using System.Globalization;
using System.Text.Json.Nodes;
using RemediationWorker.Playbooks;
using RemediationWorker.Testing;

namespace RemediationWorker.IntegrationTests;

/// <summary>The configuration a <see cref="WorkerProcess"/> gets (as environment variables): the
/// <see cref="WorkerHarness"/>'s scaled timings, SQS at moto and SSM at the front by service URL, every shipped
/// playbook Live, global limits out of the way, and a visibility short enough that a killed process's messages
/// come back within seconds.</summary>
internal static class WorkerProcessSettings
{
    /// <summary>The shipped playbooks' ids, in the order of <c>appsettings.json</c> (their configuration index).</summary>
    public static IReadOnlyList<string> PlaybookIds { get; } = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "appsettings.json")))!
        ["Remediation"]!["playbooks"]!.AsArray().Select(p => (string)p!["id"]!).ToList();

    public static Dictionary<string, string?> Live(AwsEndpoints aws, string queueUrl)
    {
        var settings = WorkerHarness.Settings(queueUrl);
        settings["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information";
        settings["Logging:LogLevel:Polly"] = "Error"; // every injected fault is a retry: keep the output to what fails
        settings["Audit:LogToStdout"] = "false";
        settings["Aws:Sqs:ServiceUrl"] = aws.Moto.Url;
        settings["Aws:Ssm:ServiceUrl"] = aws.Front.Url;
        settings["Intake:Sqs:VisibilityTimeout"] = "00:00:04"; // a killed process's messages come back within 4 s
        settings["Intake:Sqs:RetryMaxVisibility"] = "00:00:02";
        settings["Aws:Resilience:AttemptTimeout"] = "00:00:15"; // the default: replicas queue for the front's one-at-a-time DynamoDB
        settings["Remediation:limits:maxStartsPerMinute"] = "10000";
        settings["Remediation:limits:maxInFlight"] = "1000";
        for (var i = 0; i < PlaybookIds.Count; i++)
        {
            settings[Playbook(PlaybookIds[i], "mode")] = "Live";
        }

        return settings;
    }

    /// <summary>A timeout of seconds for a shipped playbook. validate refuses a timeout shorter than the worst case of
    /// the project's runbook (RunbookTimeBudgets), so the playbook names a stand-in document, which the SSM front runs
    /// like any other.</summary>
    public static void ShortTimeout(Dictionary<string, string?> settings, string id, string timeout)
    {
        settings[Playbook(id, "limits:timeout")] = timeout;
        settings[Playbook(id, "runbook:documentName")] = StandInDocument(id);

        // The project's documents and the stand-ins: configuring the list replaces the default.
        var documents = RemediationOptions.ProjectDocuments.Concat(PlaybookIds.Select(StandInDocument)).ToList();
        for (var i = 0; i < documents.Count; i++)
        {
            settings[string.Create(CultureInfo.InvariantCulture, $"Remediation:allowedDocuments:{i}")] = documents[i];
        }
    }

    private static string StandInDocument(string id) => "IntegrationTests-" + id;

    /// <summary>The configuration key of a field of a shipped playbook, e.g. <c>Playbook("stack-drift-revert",
    /// "limits:cooldown")</c>.</summary>
    public static string Playbook(string id, string field)
    {
        var index = PlaybookIds.ToList().IndexOf(id);
        return index < 0
            ? throw new ArgumentException($"no shipped playbook {id}", nameof(id))
            : string.Create(CultureInfo.InvariantCulture, $"Remediation:playbooks:{index}:{field}");
    }
}
