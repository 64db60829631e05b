using Microsoft.Extensions.Logging;
using RemediationWorker.Audit;
using RemediationWorker.Diagnostics;
using RemediationWorker.Execution;
using RemediationWorker.Ledger;

namespace RemediationWorker.Remediation;

/// <summary>A run's end: its decision, its escalation when people must decide, and the ledger's settlement of the
/// claim with the ids the run caused. The decision is on the audit file before the ledger settles: a crash in
/// between leaves the claim unsettled, so the run is taken over and its outcome audited, never a settled claim the
/// audit has no outcome for.</summary>
internal sealed class RunSettler
{
    private readonly ILedger _ledger;
    private readonly AuditTrail _audit;
    private readonly EscalationStep _escalations;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<RunSettler> _logger;
    private readonly WorkerMetrics _metrics;

    public RunSettler(ILedger ledger, AuditTrail audit, EscalationStep escalations, TimeProvider timeProvider, ILogger<RunSettler> logger, WorkerMetrics metrics)
    {
        _ledger = ledger;
        _audit = audit;
        _escalations = escalations;
        _timeProvider = timeProvider;
        _logger = logger;
        _metrics = metrics;
    }

    /// <summary>The tracked run's decision. A refusal, a partial fix, or a run still inside its runbook's own waits
    /// at the deadline (<paramref name="escalateTimeout"/>: people decide, the worker does not cut it short) is
    /// escalated, and is not a failure of the automation, so the breaker does not count it. An escalation that
    /// could not be created hands the run back, so the redelivery finds the same execution and escalates again.</summary>
    public async ValueTask<EventVerdict> SettleAsync(AdmittedRun run, RunbookResult result, bool escalateTimeout, DateTimeOffset startedAt, AuditRecord record, CancellationToken cancellationToken)
    {
        var (playbook, executionId) = (run.Playbook, record.ExecutionId!);
        var ended = _timeProvider.GetUtcNow();
        _logger.AutomationFinished(executionId, playbook.Id, result.StatusText, ended - startedAt);
        var (decision, outcome) = result.Status switch
        {
            RunbookStatus.Succeeded => (AuditDecision.Succeeded, RunOutcome.Succeeded),
            RunbookStatus.TimedOut => (AuditDecision.TimedOut, RunOutcome.TimedOut),
            RunbookStatus.Refused => (AuditDecision.Refused, RunOutcome.Refused),
            RunbookStatus.PartiallyFixed => (AuditDecision.PartiallyFixed, RunOutcome.PartiallyFixed),
            _ => (AuditDecision.Failed, RunOutcome.Failed),
        };
        _metrics.RunEnded(playbook.Id, decision.ToWireName(), ended - startedAt);
        record = record with { Time = ended };
        var verdict = await _audit.DecideAsync(
            record with { Decision = decision, Status = result.StatusText, Duration = ended - startedAt, Reason = result.FailureMessage },
            cancellationToken);
        if (outcome is RunOutcome.Refused or RunOutcome.PartiallyFixed || escalateTimeout)
        {
            var reason = $"execution {executionId} of playbook {playbook.Id} ended {decision.ToWireName()}: {result.FailureMessage}";
            if (await _escalations.EscalateRunAsync(run, record, reason, cancellationToken) is { } deferred)
            {
                await RecordOutcomeAsync(run, RunOutcome.HandedBack, record, result, cancellationToken);
                return deferred;
            }
        }

        return await RecordOutcomeAsync(run, outcome, record, result, cancellationToken) ?? verdict;
    }

    /// <summary>Flushes the decisions, then settles the claim. A breaker this outcome opened is escalated; null, or
    /// the deferral that keeps the event when that escalation could not be created (the ledger still owes it, so the
    /// redelivery, or any later event of the playbook, tries again).</summary>
    public async ValueTask<EventVerdict?> RecordOutcomeAsync(AdmittedRun run, RunOutcome outcome, AuditRecord record, RunbookResult? result, CancellationToken cancellationToken)
    {
        await _audit.FlushAsync(cancellationToken);
        var outcomeResult = await SettleInLedgerAsync(run, outcome, record.ExecutionId, result?.CausedIds ?? [], cancellationToken);
        return outcomeResult is { BreakerOpened: true, OpenUntil: { } openUntil } opened
            ? await _escalations.EscalateBreakerAsync(run.Version, run.Playbook, record, new BreakerState(opened.ConsecutiveFailures, openUntil, false), cancellationToken)
            : null;
    }

    /// <summary>A run that never reached SSM (its intent could not be written): the claim and attempt go back. The
    /// audit is broken, so nothing is flushed first.</summary>
    public async ValueTask GiveBackAsync(AdmittedRun run)
        => await SettleInLedgerAsync(run, run.HandBack, null, [], CancellationToken.None);

    /// <summary>The ledger's part of an outcome; null when the ledger is unavailable (logged by the ledger: the run's
    /// decision stands in the audit, its lease ends by itself and the breaker misses this one outcome).</summary>
    private async ValueTask<OutcomeResult?> SettleInLedgerAsync(AdmittedRun run, RunOutcome outcome, string? executionId, IReadOnlyList<string> causedIds, CancellationToken cancellationToken)
    {
        try
        {
            return await _ledger.RecordOutcomeAsync(
                new OutcomeRequest(run.Key, run.Owner, _timeProvider.GetUtcNow(), outcome, run.Version.Options.Breaker) { ExecutionId = executionId, CausedIds = causedIds },
                cancellationToken);
        }
        catch (LedgerUnavailableException)
        {
            return null;
        }
    }
}
