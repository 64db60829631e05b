using RemediationWorker.Audit;
using RemediationWorker.Escalation;
using RemediationWorker.Guards;
using RemediationWorker.Ledger;
using RemediationWorker.Playbooks;

namespace RemediationWorker.Remediation;

/// <summary>Hands a case to people: an escalating guard, a run that did not fix, a breaker that opened. The OpsItem
/// comes first and its <c>escalated</c> record after; one that cannot be created defers the event (the verdict
/// returned), so the escalation is tried again, never lost: the OpsItem's de-duplication key makes the retry join
/// the same item.</summary>
internal sealed class EscalationStep
{
    private readonly Escalator _escalator;
    private readonly AuditTrail _audit;
    private readonly ILedger _ledger;
    private readonly TimeProvider _timeProvider;

    public EscalationStep(Escalator escalator, AuditTrail audit, ILedger ledger, TimeProvider timeProvider)
    {
        _escalator = escalator;
        _audit = audit;
        _ledger = ledger;
        _timeProvider = timeProvider;
    }

    /// <summary>An escalating guard: the attempt budget spent (escalated once per exhaustion) or a loop (an event
    /// our own run of this playbook caused).</summary>
    public async ValueTask<EventVerdict> EscalateGuardAsync(AdmissionCase admission, GuardVerdict verdict, AuditRecord record, CancellationToken cancellationToken)
    {
        var (snapshot, now) = (admission.Snapshot, admission.Now);
        var limits = admission.Playbook.Options.Limits;
        var executions = snapshot.CausedBy is { } cause ? new[] { cause.ExecutionId } : [];
        if (!await _escalator.TryEscalateAsync(admission.Version, admission.Playbook, record, verdict.Reason!, snapshot.Attempts.AttemptsAt(now, limits.AttemptWindow), executions, cancellationToken))
        {
            return await DeferAsync(record, verdict.Reason!, now, cancellationToken);
        }

        if (verdict.Guard == GuardNames.AttemptBudget
            && !await _ledger.TryMarkEscalatedAsync(admission.Key, now, snapshot.Attempts.WindowEnds(limits.AttemptWindow) ?? now, cancellationToken))
        {
            return await _audit.SkipAsync(record, verdict.Guard, $"{verdict.Reason} (already escalated)", cancellationToken);
        }

        return await _audit.DecideAsync(record with { Decision = AuditDecision.Escalated, Guard = verdict.Guard, Reason = verdict.Reason }, cancellationToken);
    }

    /// <summary>A run that ended without a fix people must look at (refused, partially fixed, left running at the
    /// deadline); null when the escalation landed.</summary>
    public async ValueTask<EventVerdict?> EscalateRunAsync(AdmittedRun run, AuditRecord record, string reason, CancellationToken cancellationToken)
    {
        if (!await _escalator.TryEscalateAsync(run.Version, run.Playbook, record, reason, 1, [record.ExecutionId!], cancellationToken))
        {
            return await DeferAsync(record, reason, record.Time, cancellationToken);
        }

        await _audit.DecideAsync(record with { Decision = AuditDecision.Escalated, Guard = GuardNames.Execution, Reason = reason }, cancellationToken);
        return null;
    }

    /// <summary>A breaker that opened (by this run's outcome, or found owed by a later event: <see
    /// cref="BreakerState.EscalationOwed"/>); once it landed the ledger marks that opening escalated. Null when it
    /// landed.</summary>
    public async ValueTask<EventVerdict?> EscalateBreakerAsync(ConfigurationVersion version, CompiledPlaybook playbook, AuditRecord record, BreakerState breaker, CancellationToken cancellationToken)
    {
        var openUntil = breaker.OpenUntil!.Value;
        var now = _timeProvider.GetUtcNow();
        record = record with { Time = now, Status = null, Duration = null };
        var reason = $"playbook {playbook.Id} failed {breaker.ConsecutiveFailures} runs in a row; stopped until {GuardText.Time(openUntil)}";
        if (!await _escalator.TryEscalateAsync(version, playbook, record, reason, breaker.ConsecutiveFailures, record.ExecutionId is { } id ? [id] : [], cancellationToken))
        {
            return await DeferAsync(record, reason, now, cancellationToken);
        }

        await _audit.DecideAsync(record with { Decision = AuditDecision.Escalated, Guard = GuardNames.Breaker, Reason = reason, ExecutionId = null }, cancellationToken);
        try
        {
            await _ledger.MarkBreakerEscalatedAsync(playbook.Id, openUntil, cancellationToken);
        }
        catch (LedgerUnavailableException)
        {
            // Still owed in the ledger: a later event escalates again, and the OpsItem's de-duplication joins it.
        }

        return null;
    }

    /// <summary>Not escalated: the event is kept and the escalation tried again after <see cref="Admission.Recheck"/>.</summary>
    private ValueTask<EventVerdict> DeferAsync(AuditRecord record, string reason, DateTimeOffset now, CancellationToken cancellationToken)
        => _audit.DeferAsync(record, GuardNames.Escalation, $"the escalation could not be created; it is tried again ({reason})", now + Admission.Recheck, cancellationToken);
}
