namespace RemediationWorker.Execution;

/// <summary>The runbook was not started for a reason that passes (throttling, 5xx, an open breaker, the
/// account's automation queue full) and the retries are spent: the event should come back later, not be
/// audited as a failed run.</summary>
internal sealed class AutomationStartDeferredException : Exception
{
    public AutomationStartDeferredException()
    {
    }

    public AutomationStartDeferredException(string message)
        : base(message)
    {
    }

    public AutomationStartDeferredException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
