using System.Globalization;
using System.Text.Json;

namespace RemediationWorker.Intake;

/// <summary>Checks the queue's attributes against what the worker needs (docs/ledger.md, "Deferrals and SQS
/// limits"): deferrals are sent again as new messages (at most <see cref="MaxDelay"/> each) and never spend
/// receives, so receives are spent only by transient failures, backed off by <c>Intake:Sqs:RetryBaseVisibility</c>
/// doubling to <c>RetryMaxVisibility</c>. Those receives must span the longest lease before the redrive policy
/// dead-letters the message, and the retention must outlast a message held through the longest lease and one
/// deferral.</summary>
internal static class SqsQueueCheck
{
    /// <summary>SQS's limit on a message's <c>DelaySeconds</c>.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(900);

    /// <summary>SQS's limits: retention at most 14 days, <c>maxReceiveCount</c> at most 1,000.</summary>
    public static readonly TimeSpan MaxRetention = TimeSpan.FromDays(14);

    public const int MaxReceiveCount = 1000;

    public static readonly string[] AttributeNames = ["MessageRetentionPeriod", "RedrivePolicy"];

    /// <summary>The longest lease a run of this configuration holds: the longest playbook timeout plus the margin.</summary>
    public static TimeSpan LongestLease(Playbooks.ConfigurationVersion version, Ledger.LedgerOptions ledger)
        => version.Playbooks.Select(p => p.Options.Limits.Timeout).DefaultIfEmpty(TimeSpan.Zero).Max() + ledger.LeaseMargin;

    /// <summary>Receives a message spends on transient failures, backed off as the intake does, before
    /// <paramref name="span"/> has passed.</summary>
    public static int ReceivesToSpan(TimeSpan span, SqsIntakeOptions options)
    {
        var total = TimeSpan.Zero;
        var receives = 1;
        while (total < span && receives < MaxReceiveCount)
        {
            total += SqsCompleter.RetryVisibility(receives, options.RetryBaseVisibility, options.RetryMaxVisibility);
            receives++;
        }

        return receives;
    }

    /// <summary>One line per mismatch; none when the queue fits.</summary>
    public static List<string> Check(IReadOnlyDictionary<string, string> attributes, TimeSpan longestLease, SqsIntakeOptions options, string queueUrl)
    {
        var problems = new List<string>();
        var neededRetention = longestLease + MaxDelay + options.RetryMaxVisibility;
        if (attributes.TryGetValue("MessageRetentionPeriod", out var retentionText)
            && int.TryParse(retentionText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var retentionSeconds)
            && TimeSpan.FromSeconds(retentionSeconds) < neededRetention)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"queue {queueUrl}: MessageRetentionPeriod {retentionSeconds} s is shorter than the longest lease plus one deferral and one back-off ({(int)neededRetention.TotalSeconds} s); raise it (at most {(int)MaxRetention.TotalSeconds} s)"));
        }

        if (attributes.TryGetValue("RedrivePolicy", out var redrive) && MaxReceives(redrive) is { } maxReceives)
        {
            var needed = ReceivesToSpan(longestLease, options);
            if (maxReceives < needed)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture,
                    $"queue {queueUrl}: the redrive policy's maxReceiveCount {maxReceives} dead-letters a message retried by Intake:Sqs:RetryBaseVisibility/RetryMaxVisibility before the longest lease ({longestLease}) ends; it needs at least {needed} (at most {MaxReceiveCount})"));
            }
        }

        return problems;
    }

    private static int? MaxReceives(string redrivePolicy)
    {
        try
        {
            using var document = JsonDocument.Parse(redrivePolicy);
            return document.RootElement.TryGetProperty("maxReceiveCount", out var value)
                ? value.ValueKind == JsonValueKind.Number ? value.GetInt32() : int.Parse(value.GetString() ?? "0", CultureInfo.InvariantCulture)
                : null;
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }
}
