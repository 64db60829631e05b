using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Amazon.DynamoDBv2.Model;

namespace RemediationWorker.Ledger;

/// <summary>The shape of the DynamoDB ledger table (docs/ledger.md): its keys, attribute names and how times
/// are written. Times are Unix milliseconds (0 where <see cref="AttemptState"/> has none); the TTL attribute
/// <c>expiresAt</c> is Unix seconds, as DynamoDB's TTL wants.</summary>
internal static class LedgerTable
{
    public const string PartitionKey = "pk";
    public const string SortKey = "sk";
    public const string ExpiresAt = "expiresAt";

    // claim
    public const string Owner = "owner";
    public const string Until = "until";

    /// <summary>On a claim while its run is in progress: the owner's lease (Unix ms); removed by the outcome.</summary>
    public const string RunningUntil = "runningUntil";

    // attempts (and the state before the last spend, to give it back: prev*)
    public const string WindowStart = "windowStart";
    public const string Attempts = "attempts";
    public const string LastAttempt = "lastAttempt";
    public const string EscalatedUntil = "escalatedUntil";
    public const string SpentBy = "spentBy";
    public const string Previous = "prev";

    // starts in one minute
    public const string Starts = "starts";

    // the leases of all resources, one map: in-flight is the count of its unexpired entries
    public const string Leases = "leases";
    public const string Resource = "resource";

    // breaker
    public const string Failures = "failures";
    public const string Threshold = "threshold";
    public const string OpenUntil = "openUntil";
    public const string TrialUntil = "trialUntil";

    // caused id
    public const string ExecutionId = "executionId";
    public const string Playbook = "playbook";

    /// <summary>How long the leases item lives after each write: longer than any lease in it (a timeout is at
    /// most 12 h, plus <see cref="LedgerOptions.LeaseMargin"/>, at most 30 min).</summary>
    public static readonly TimeSpan LeasesHorizon = TimeSpan.FromHours(13);

    /// <summary>Keys longer than this are replaced by their hash (DynamoDB allows 2048 bytes of partition key).</summary>
    private const int MaxKeyPart = 512;

    public static Dictionary<string, AttributeValue> ClaimKey(LedgerKey key) => Key("claim#" + Part(key.EventId), "playbook#" + key.PlaybookId);

    public static Dictionary<string, AttributeValue> AttemptsKey(LedgerKey key) => Key("resource#" + Part(key.Resource), "attempts#" + key.PlaybookId);

    public static Dictionary<string, AttributeValue> BreakerKey(string playbookId) => Key("playbook#" + playbookId, "breaker");

    /// <summary>One item per calendar minute (UTC) that saw a start.</summary>
    public static Dictionary<string, AttributeValue> MinuteKey(DateTimeOffset now)
        => Key("global", "starts#" + MinuteOf(now).ToString("yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture));

    public static Dictionary<string, AttributeValue> LeasesKey() => Key("global", "leases");

    /// <summary>An id a run of ours caused (<see cref="CauseState"/>).</summary>
    public static Dictionary<string, AttributeValue> CausedKey(string causedId) => Key("caused#" + Part(causedId), "cause");

    /// <summary>A resource's entry name in the leases map: a fixed-length hash, so any resource string fits.</summary>
    public static string LeaseName(string resource) => Hash(resource)[..32];

    public static DateTimeOffset MinuteOf(DateTimeOffset now)
    {
        var utc = now.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
    }

    public static long Millis(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static long Millis(DateTimeOffset? time) => time is { } t ? t.ToUnixTimeMilliseconds() : 0;

    public static DateTimeOffset? Time(long millis) => millis == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(millis);

    public static AttributeValue Number(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    public static AttributeValue Text(string value) => new() { S = value };

    /// <summary>A TTL value: the second at or after <paramref name="time"/>.</summary>
    public static AttributeValue Ttl(DateTimeOffset time) => Number((Millis(time) + 999) / 1000);

    public static long NumberOf(Dictionary<string, AttributeValue>? item, string name)
        => item is not null && item.TryGetValue(name, out var value) && value.N is { } n ? long.Parse(n, CultureInfo.InvariantCulture) : 0;

    public static string? TextOf(Dictionary<string, AttributeValue>? item, string name)
        => item is not null && item.TryGetValue(name, out var value) ? value.S : null;

    public static bool SameKey(Dictionary<string, AttributeValue> item, Dictionary<string, AttributeValue> key)
        => TextOf(item, PartitionKey) == TextOf(key, PartitionKey) && TextOf(item, SortKey) == TextOf(key, SortKey);

    private static Dictionary<string, AttributeValue> Key(string pk, string sk) => new(StringComparer.Ordinal)
    {
        [PartitionKey] = Text(pk),
        [SortKey] = Text(sk),
    };

    private static string Part(string value) => Encoding.UTF8.GetByteCount(value) <= MaxKeyPart ? value : "sha256:" + Hash(value);

    private static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
