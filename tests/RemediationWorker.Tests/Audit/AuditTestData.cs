using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RemediationWorker.Audit;

namespace RemediationWorker.Tests.Audit;

/// <summary>Records and files for the audit tests.</summary>
internal static class AuditTestData
{
    public const string ExecutionId = "5f6c1e2a-0b4d-4c8e-9a7f-3d2b1c0e9f88";
    public const string StackArn = "arn:aws:cloudformation:eu-west-1:123456789012:stack/orders-api/8a3c5e10-4b2f-11ef-9f2a-0a1b2c3d4e5f";
    public const string BuildArn = "arn:aws:codebuild:eu-west-1:123456789012:build/orders-api-ci:0c1d2e3f-aaaa-bbbb-cccc-111122223333";

    public static readonly DateTimeOffset Start = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static AuditRecord Record(
        DateTimeOffset time,
        AuditDecision decision = AuditDecision.Matched,
        string? resource = StackArn,
        string? playbook = "stack-rollback-failed",
        string? eventId = null,
        string? reason = null) => new()
        {
            Time = time,
            WorkerId = "worker-1",
            Decision = decision,
            ConfigHash = "c0ffee12",
            EventId = eventId ?? $"evt-{time.ToUnixTimeMilliseconds()}",
            Source = "aws.cloudformation",
            DetailType = "CloudFormation Stack Status Change",
            Account = "123456789012",
            Region = "eu-west-1",
            Resource = resource,
            Playbook = playbook,
            Reason = reason,
        };

    public static JsonLinesAuditSink OpenSink(
        string path, bool flushToDisk = false, bool logToStdout = false, ILogger<JsonLinesAuditSink>? logger = null) =>
        new(
            Options.Create(new AuditOptions { Path = path, FlushToDisk = flushToDisk, LogToStdout = logToStdout }),
            logger ?? NullLogger<JsonLinesAuditSink>.Instance);

    /// <summary>Writes <paramref name="count"/> records one second apart through the real sink.</summary>
    public static async Task<string[]> WriteChainAsync(string path, int count, FakeTimeProvider? time = null)
    {
        time ??= new FakeTimeProvider(Start);
        await using (var sink = OpenSink(path))
        {
            for (var i = 0; i < count; i++)
            {
                await sink.WriteAsync(Record(time.GetUtcNow()), CancellationToken.None);
                time.Advance(TimeSpan.FromSeconds(1));
            }
        }

        return ReadLines(path);
    }

    /// <summary>The file's lines without their line ends (the file must end with one).</summary>
    public static string[] ReadLines(string path)
    {
        var text = File.ReadAllText(path, Encoding.UTF8);
        Assert.EndsWith("\n", text);
        return text[..^1].Split('\n');
    }

    /// <summary>Writes lines each followed by a line end, as the sink does.</summary>
    public static void WriteLines(string path, IEnumerable<string> lines) =>
        File.WriteAllText(path, string.Concat(lines.Select(l => l + "\n")), new UTF8Encoding(false));
}
