using System.ComponentModel.DataAnnotations;

namespace RemediationWorker.Ledger;

/// <summary>The <c>Ledger</c> section: which store holds the shared state (docs/ledger.md).</summary>
internal sealed class LedgerOptions
{
    public const string SectionName = "Ledger";

    /// <value>The default value is <see cref="LedgerStore.InMemory"/>: the local run needs no AWS.</value>
    public LedgerStore Store { get; set; } = LedgerStore.InMemory;

    /// <summary>The DynamoDB table (keys <c>pk</c>/<c>sk</c>, TTL on <c>expiresAt</c>); required with
    /// <see cref="LedgerStore.DynamoDb"/>.</summary>
    public string TableName { get; set; } = string.Empty;

    /// <summary>How long a playbook's breaker (its run of failures) is kept after its last change.</summary>
    /// <value>The default value is 7 days.</value>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00")]
    public TimeSpan BreakerRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Added to a playbook's timeout for its run's lease (and its claim's <c>runningUntil</c>), so that
    /// tracking records the outcome before another replica may take the run over.</summary>
    /// <value>The default value is 1 minute. At most 30 minutes: the leases item outlives its last write by 13 h,
    /// which must exceed the longest lease (a timeout of at most 12 h plus this margin).</value>
    [Range(typeof(TimeSpan), "00:00:05", "00:30:00")]
    public TimeSpan LeaseMargin { get; set; } = TimeSpan.FromMinutes(1);
}
