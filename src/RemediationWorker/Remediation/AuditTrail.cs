using Microsoft.Extensions.Logging;
using RemediationWorker.Audit;
using RemediationWorker.Diagnostics;

namespace RemediationWorker.Remediation;

/// <summary>How the decision path writes the audit: every decision is logged, counted and written; the intent
/// (<c>starting</c>) is also made durable before it returns. A sink that fails closes the <see cref="AuditGate"/>
/// and surfaces as <see cref="AuditUnavailableException"/>: nothing may act on a decision it could not record.</summary>
internal sealed class AuditTrail
{
    private readonly IAuditSink _audit;
    private readonly AuditGate _gate;
    private readonly ILogger<AuditTrail> _logger;
    private readonly WorkerMetrics _metrics;

    public AuditTrail(IAuditSink audit, AuditGate gate, ILogger<AuditTrail> logger, WorkerMetrics metrics)
    {
        _audit = audit;
        _gate = gate;
        _logger = logger;
        _metrics = metrics;
    }

    public async ValueTask WriteAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        try
        {
            await _audit.WriteAsync(record, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not ArgumentException)
        {
            throw _gate.Fail(ex);
        }
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _audit.FlushAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw _gate.Fail(ex);
        }
    }

    /// <summary>Writes the intent and makes it durable (fsync with <c>Audit:FlushToDisk</c>), together with every
    /// record before it (the event's <c>received</c> and <c>matched</c>).</summary>
    public async ValueTask WriteIntentAsync(AuditRecord starting, CancellationToken cancellationToken)
    {
        await WriteAsync(starting, cancellationToken);
        await FlushAsync(cancellationToken);
    }

    /// <summary>Writes a decision for a playbook and logs and counts it.</summary>
    public async ValueTask<EventVerdict> DecideAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        var decision = record.Decision.ToWireName();
        _logger.Decision(decision, record.EventId, record.Playbook, record.Resource, record.Guard ?? "-", record.Reason);
        _metrics.Decision(decision, record.Guard, record.Playbook);
        await WriteAsync(record, cancellationToken);
        return new EventVerdict(record.Decision, record.Playbook, record.Resource, record.Guard, record.Reason) { RetryAt = record.RetryAt };
    }

    public ValueTask<EventVerdict> SkipAsync(AuditRecord record, string guard, string reason, CancellationToken cancellationToken)
        => DecideAsync(record with { Decision = AuditDecision.Skipped, Guard = guard, Reason = reason }, cancellationToken);

    /// <summary>Not decided now: nothing was started, and the event is kept until <paramref name="retryAt"/>.</summary>
    public ValueTask<EventVerdict> DeferAsync(AuditRecord record, string guard, string reason, DateTimeOffset retryAt, CancellationToken cancellationToken)
    {
        _logger.EventDeferred(record.EventId ?? "-", record.Playbook ?? "-", record.Resource ?? "-", reason);
        return DecideAsync(record with { Decision = AuditDecision.Deferred, Guard = guard, Reason = reason, RetryAt = retryAt }, cancellationToken);
    }
}
