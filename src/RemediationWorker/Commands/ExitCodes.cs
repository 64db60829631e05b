namespace RemediationWorker.Commands;

/// <summary>One exit-code convention for every command (README "The command line").</summary>
internal static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Done = 0;

    /// <summary>A finding: an invalid configuration, no match, a broken chain, unhealthy.</summary>
    public const int Finding = 1;

    /// <summary>Usage, or input that cannot be read (missing, AccessDenied, not found).</summary>
    public const int Unreadable = 2;

    /// <summary>Work not finished (the audit unwritable, inputs left unread, the worker stopped by a failure).</summary>
    public const int Unfinished = 3;
}
