namespace RemediationWorker.Escalation;

/// <summary>Where an escalation goes (an OpsItem in production). Test seam.</summary>
internal interface IEscalationSink
{
    /// <summary>Opens (or joins, by de-duplication) the item; returns its id, or null when nothing was opened.</summary>
    ValueTask<string?> EscalateAsync(EscalationRequest request, CancellationToken cancellationToken);
}
