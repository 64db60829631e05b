using RemediationWorker.Intake;
using RemediationWorker.Ledger;
using RemediationWorker.Playbooks;

namespace RemediationWorker.Guards;

/// <summary>What admission is asked about: one playbook for one event on one resource, with the ledger's state as
/// read at <see cref="Now"/>.</summary>
internal sealed record AdmissionCase(ConfigurationVersion Version, CompiledPlaybook Playbook, EventEnvelope Envelope, LedgerKey Key, LedgerSnapshot Snapshot, DateTimeOffset Now);
