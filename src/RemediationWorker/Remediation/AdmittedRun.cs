using RemediationWorker.Execution;
using RemediationWorker.Ledger;
using RemediationWorker.Playbooks;

namespace RemediationWorker.Remediation;

/// <summary>A run the guards and the ledger's claim let go: whose claim it is, what is started and how.</summary>
internal sealed record AdmittedRun(ConfigurationVersion Version, CompiledPlaybook Playbook, LedgerKey Key, string Owner, RunbookPlan Plan, RunMode Mode, bool Takeover)
{
    /// <summary>What a run handed back unfinished settles as: a run this owner started gives back its claim and
    /// attempt (<see cref="RunOutcome.NotStarted"/>); a run it took over ends its claim's lease
    /// (<see cref="RunOutcome.HandedBack"/>; the original start's attempt stays spent).</summary>
    public RunOutcome HandBack => Takeover ? RunOutcome.HandedBack : RunOutcome.NotStarted;
}
