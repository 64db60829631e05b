using RemediationWorker.Audit;
using RemediationWorker.Ledger;

namespace RemediationWorker.Remediation;

/// <summary>What every record of one matched event shares: its <c>received</c> record (written once, before the
/// first playbook's first record), the ids in it that one of our runs may have caused, and, once the ledger has
/// answered, the run that did cause it (<c>causedBy</c> in every record from then on, <c>received</c> included
/// when the first playbook's read found it).</summary>
internal sealed class EventStory
{
    private AuditRecord _received;
    private bool _receivedWritten;

    public EventStory(AuditRecord received, IReadOnlyList<string> causedIdCandidates)
    {
        _received = received;
        CausedIdCandidates = causedIdCandidates;
    }

    public IReadOnlyList<string> CausedIdCandidates { get; }

    public CauseState? Cause { get; private set; }

    /// <summary>Takes the cause the ledger found (the first one found stays).</summary>
    public void Caused(CauseState? cause)
    {
        if (Cause is null && cause is not null)
        {
            Cause = cause;
            _received = _received with { CausedBy = cause.ExecutionId };
        }
    }

    /// <summary>Writes <c>received</c> (the first time) and this playbook's <c>matched</c>; returns the playbook's
    /// record to decide on.</summary>
    public async ValueTask<AuditRecord> MatchedAsync(AuditTrail audit, string playbookId, string? resource, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!_receivedWritten)
        {
            await audit.WriteAsync(_received, cancellationToken);
            _receivedWritten = true;
        }

        var record = _received with { Time = now, Playbook = playbookId, Resource = resource };
        await audit.WriteAsync(record with { Decision = AuditDecision.Matched }, cancellationToken);
        return record;
    }
}
