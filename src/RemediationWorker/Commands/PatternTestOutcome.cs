namespace RemediationWorker.Commands;

/// <summary>What <c>test-pattern</c> found for one pattern and event.</summary>
internal enum PatternTestOutcome
{
    Match,
    NoMatch,

    /// <summary>The pattern is one EventBridge would refuse.</summary>
    InvalidPattern,

    /// <summary>The matcher refused the event: malformed, not an object, too large or too deep.</summary>
    InvalidEvent,
}
