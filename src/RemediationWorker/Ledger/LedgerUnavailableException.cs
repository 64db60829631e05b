namespace RemediationWorker.Ledger;

/// <summary>The ledger's store could not be read or written (throttled, failing, unreachable, refused) after the
/// retries of its pipeline: nothing may start without the guards' state, so the event is left for redelivery.</summary>
internal sealed class LedgerUnavailableException : Exception
{
    public LedgerUnavailableException()
    {
    }

    public LedgerUnavailableException(string message)
        : base(message)
    {
    }

    public LedgerUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
