using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RemediationWorker.Audit;
using RemediationWorker.Testing;

namespace RemediationWorker.IntegrationTests;

/// <summary>The real worker (the same <c>AddRemediationWorker</c> as <c>run</c>) in this process, reading a moto
/// queue and starting runbooks at the front, with the shipped playbooks switched to Live and short timings.</summary>
internal sealed class WorkerHarness : IAsyncDisposable
{
    private readonly IHost _host;

    public WorkerHarness(AwsEndpoints aws, string queueUrl, IDictionary<string, string?>? overrides = null, bool sqsThroughFront = false)
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "appsettings.json")))!.AsObject();
        json["Remediation"]!["limits"]!["maxStartsPerMinute"] = 10_000;
        json["Remediation"]!["limits"]!["maxInFlight"] = 1_000;
        foreach (var playbook in json["Remediation"]!["playbooks"]!.AsArray())
        {
            playbook!["mode"] = "Live";
        }

        var settings = Settings(queueUrl);
        settings["Health:HeartbeatPath"] = HeartbeatPath;
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json.ToJsonString())));
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging")).AddSimpleConsole(o => o.SingleLine = true);
        builder.Services.AddRemediationWorker(builder.Configuration);
        builder.Services.AddSingleton<IAuditSink>(Audit);
        builder.Services.AddSingleton(aws.CreateSqs(sqsThroughFront));
        builder.Services.AddSingleton(aws.CreateSsm());
        builder.Services.AddSingleton(aws.CreateDynamoDb()); // used with Ledger:Store=DynamoDb
        _host = builder.Build();
    }

    /// <summary>The worker's settings here (and, as environment variables, a <see cref="WorkerProcess"/>'s): the SQS
    /// intake on <paramref name="queueUrl"/>, Live, and timings scaled down by about 1/20.</summary>
    public static Dictionary<string, string?> Settings(string queueUrl)
        => new(StringComparer.Ordinal)
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Execution:Mode"] = "Live",
            ["Intake:Source"] = "Sqs",
            ["Intake:QueueUrl"] = queueUrl,
            ["Intake:Sqs:WaitTimeSeconds"] = "1",
            ["Intake:Sqs:VisibilityTimeout"] = "00:00:10",
            ["Intake:Sqs:RetryBaseVisibility"] = "00:00:01",
            ["Intake:Sqs:RetryMaxVisibility"] = "00:00:04",
            ["Intake:Sqs:MaxDeferralDelay"] = "00:00:03", // 15 min scaled: deferred events come back within 3 s
            ["Intake:Sqs:ShutdownGrace"] = "00:00:03",
            ["Intake:Sqs:DeleteBatchWindow"] = "00:00:00.100",
            ["Aws:Region"] = AwsEndpoints.Region,
            ["Aws:Automation:InitialStartRate"] = "20",
            ["Aws:Automation:PollInitialDelay"] = "00:00:00.100",
            ["Aws:Automation:PollMaxDelay"] = "00:00:00.400",
            ["Aws:Resilience:BaseDelay"] = "00:00:00.050",
            ["Aws:Resilience:MaxDelay"] = "00:00:00.400",
            ["Aws:Resilience:MaxRetryAttempts"] = "8",
            ["Aws:Resilience:AttemptTimeout"] = "00:00:05",
            ["Aws:Resilience:BreakerSamplingDuration"] = "00:00:02",
            ["Aws:Resilience:BreakerBreakDuration"] = "00:00:00.500",
        };

    public MemoryAuditSink Audit { get; } = new();

    /// <summary>This worker's heartbeat file (the <c>health</c> command reads it), in its own temporary folder.</summary>
    public string HeartbeatPath { get; } = Path.Combine(Path.GetTempPath(), $"rw-harness-{Guid.NewGuid():N}", ".heartbeat");

    public IServiceProvider Services => _host.Services;

    private bool _started;

    public async Task StartAsync()
    {
        await _host.StartAsync();
        _started = true;
    }

    public Task StopAsync() => _host.StopAsync();

    /// <summary>Records of one decision (a snapshot: the sink is written by the handlers).</summary>
    public int Count(AuditDecision decision) => Audit.Records.Count(r => r.Decision == decision);

    public IEnumerable<AuditRecord> Of(AuditDecision decision) => Audit.Records.Where(r => r.Decision == decision);

    /// <summary>Waits (real time: other processes) until <paramref name="done"/> holds, at most <paramref name="timeout"/>.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> done, TimeSpan timeout, string what)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (TimeProvider.System.GetElapsedTime(started) < timeout)
        {
            if (await done())
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System);
        }

        throw new TimeoutException($"{what} did not happen within {timeout}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_started)
            {
                await _host.StopAsync();
            }
        }
        finally
        {
            _host.Dispose();
            if (Directory.Exists(Path.GetDirectoryName(HeartbeatPath)))
            {
                Directory.Delete(Path.GetDirectoryName(HeartbeatPath)!, recursive: true);
            }
        }
    }
}
