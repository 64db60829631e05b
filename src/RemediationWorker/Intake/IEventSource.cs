namespace RemediationWorker.Intake;

/// <summary>A sequential event source (the local directory), read by <see cref="IntakeService"/> through the
/// <see cref="EventSourceFeed"/> into the <see cref="EventPump{TWork}"/> that SQS uses too. The consumer completes
/// each event with its outcome before it asks for the next one from the same source position.</summary>
internal interface IEventSource
{
    /// <summary>Describes the source for logs.</summary>
    string Description { get; }

    /// <summary>Yields events until the source is drained (<c>--once</c>) or <paramref name="cancellationToken"/> fires.</summary>
    IAsyncEnumerable<IncomingEvent> ReadAllAsync(CancellationToken cancellationToken);

    /// <summary>Acts on the outcome: delete, release for redelivery or dead-letter.</summary>
    ValueTask CompleteAsync(IncomingEvent incoming, EventOutcome outcome, CancellationToken cancellationToken);
}
