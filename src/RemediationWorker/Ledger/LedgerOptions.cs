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
}
