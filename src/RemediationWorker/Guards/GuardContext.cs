using RemediationWorker.Intake;
using RemediationWorker.Ledger;
using RemediationWorker.Playbooks;

namespace RemediationWorker.Guards;

/// <summary>What a guard decides on: the event, the playbook, the resource, the time and the ledger's state.</summary>
internal sealed record GuardContext(
    ConfigurationVersion Version,
    CompiledPlaybook Playbook,
    EventEnvelope Event,
    string Resource,
    DateTimeOffset Now,
    LedgerSnapshot Ledger)
{
    /// <summary>The runbook parameters as rendered for this event (for the allow-lists on what is acted on).</summary>
    public IReadOnlyDictionary<string, string>? Parameters { get; init; }
}
