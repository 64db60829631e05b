using RemediationWorker.Remediation;

namespace RemediationWorker.Intake;

/// <summary>A source's side of the <see cref="EventPump{TWork}"/>: the event a work item carries and what becomes of
/// it (SQS: <see cref="SqsCompleter"/>'s delete, defer, back-off or dead-letter; the local source:
/// <see cref="IEventSource.CompleteAsync"/>).</summary>
/// <typeparam name="TWork">The source's work item (a held message, a read event).</typeparam>
internal interface IEventCompleter<in TWork>
{
    IncomingEvent EventOf(TWork work);

    /// <summary>Acts on the processor's result.</summary>
    Task CompleteAsync(TWork work, EventResult result);

    /// <summary>The processor failed: the event is kept for a later try.</summary>
    Task RetryLaterAsync(TWork work);

    /// <summary>Never started, or its work was cancelled at shutdown: given back at once for another taker.</summary>
    Task HandBackAsync(TWork work);

    /// <summary>The pump is done with the item, whatever became of it.</summary>
    void Finished(TWork work);
}
