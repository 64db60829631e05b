namespace RemediationWorker.Audit;

/// <summary>The audit log cannot be written: nothing may start, and the event stays where it came from
/// (<see cref="AuditGate"/> stops the intake until a write succeeds again).</summary>
internal sealed class AuditUnavailableException : Exception
{
    public AuditUnavailableException()
    {
    }

    public AuditUnavailableException(string message)
        : base(message)
    {
    }

    public AuditUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
