using EventPatterns;
using RemediationWorker.Intake;
using RemediationWorker.Playbooks;

namespace RemediationWorker.Remediation;

/// <summary>An input after the one walk that checks it and matches it: its envelope, or why it is rejected.</summary>
internal sealed record InspectedInput(IncomingEvent Incoming, EventEnvelope? Envelope, string? Error)
{
    /// <summary>The configuration the input was matched against, and is decided with.</summary>
    public required ConfigurationVersion Version { get; init; }

    /// <summary>The indices of the playbooks (of <see cref="Version"/>) whose patterns match an accepted event.</summary>
    public IReadOnlyList<int> Matches { get; init; } = [];

    /// <summary>Where the values of the fields the patterns test are in an accepted event (the <c>no-match</c> reason
    /// shows them).</summary>
    public FieldValues? Values { get; init; }
}
