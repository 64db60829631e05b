using System.Collections.ObjectModel;
using RemediationWorker.Audit;

namespace RemediationWorker.Tests.Audit;

/// <summary>Records whose lines <see cref="AuditLineBytesTests"/> holds to bytes written down from the formatter before the
/// members became one table: every field set, with text that needs escaping, and a few with little.</summary>
internal static class AuditLineBytesCases
{
    public const string PrevHash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    public static AuditRecord Full { get; } = new()
    {
        // Not UTC, and with ticks below the millisecond: written in UTC, cut (not rounded) to milliseconds.
        Time = new DateTimeOffset(2026, 12, 3, 9, 45, 12, 345, TimeSpan.FromHours(2)).AddTicks(6_789),
        WorkerId = "ip-10-0-1-17/1",
        Decision = AuditDecision.PartiallyFixed,
        ConfigHash = "c0ffee12",
        EventId = "evt-\"quoted\"\\back/slash",
        Source = "aws.cloudformation",
        DetailType = "CloudFormation Stack Status Change",
        Account = "123456789012",
        Region = "eu-west-1",
        Input = "day.jsonl:17",
        Resource = "arn:aws:cloudformation:eu-west-1:123456789012:stack/ordérs-<api>&'/8a3c5e10",
        Playbook = "stack-rollback-continue",
        Reason = "line one\nline two\ttab \u0001 control, \U0001F600 outside the BMP, \ud800 a lone surrogate, \u2028 separator",
        Guard = "breaker",
        Mode = "live",
        DocumentName = "RemediationWorker-ContinueUpdateRollback",
        DocumentVersion = "3",
        Parameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["StackName"] = "orders-api",
            ["Automation\"Role"] = "arn:aws:iam::123456789012:role/remediation",
            ["Ünïcode"] = "välue <b>",
        },
        ExecutionId = "5f6c1e2a-0b4d-4c8e-9a7f-3d2b1c0e9f88",
        Status = "Failed",
        Duration = TimeSpan.FromTicks(905_007_999), // 90,500.7999 ms: whole milliseconds, cut
        ClientToken = "rw-0123456789abcdef",
        CausedBy = "1a2b3c4d-0000-4c8e-9a7f-3d2b1c0e9f88",
        RetryAt = new DateTimeOffset(2026, 12, 3, 7, 50, 0, 999, TimeSpan.Zero).AddTicks(9_999),
        Truncated = new Dictionary<string, TruncatedField>(StringComparer.Ordinal)
        {
            ["eventId"] = new(8_000, "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"),
            ["parameters.StackName"] = new(2_000, "fcde2b2edba56bf408601fb721fe9b5c338d10ee429ea04fae5511b68fbf8fb9"),
        },
    };

    /// <summary>The members every record has, and nothing else.</summary>
    public static AuditRecord Bare { get; } = new()
    {
        Time = new DateTimeOffset(2025, 6, 1, 12, 0, 0, 123, TimeSpan.Zero),
        WorkerId = "worker-1",
        Decision = AuditDecision.ConfigLoaded,
        ConfigHash = "c0ffee12",
    };

    /// <summary>Parameters that are not a <see cref="Dictionary{TKey, TValue}"/>, and an empty duration.</summary>
    public static AuditRecord Planned { get; } = new()
    {
        Time = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero),
        WorkerId = "worker-1",
        Decision = AuditDecision.Planned,
        ConfigHash = "c0ffee12",
        EventId = "evt-1",
        Playbook = "stack-rollback-continue",
        Mode = "dry-run",
        Parameters = new ReadOnlyDictionary<string, string>(new SortedDictionary<string, string>(StringComparer.Ordinal) { ["b"] = "2", ["a"] = "" }),
        Duration = TimeSpan.Zero,
    };
}
