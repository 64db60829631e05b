namespace RemediationWorker.Ledger;

/// <summary>Who claimed (event id, playbook id) and whether the run is still theirs: while it is in progress the
/// claim carries its owner's lease (<see cref="RunningUntil"/>, the resource lease's end); recording the outcome
/// settles it. A claim whose lease ran out unsettled belongs to a replica that died mid-run: a redelivery takes
/// the run over instead of skipping it as a duplicate.</summary>
internal sealed record ClaimState(string Owner, DateTimeOffset? RunningUntil)
{
    /// <summary>The outcome was recorded: a redelivery is a duplicate.</summary>
    public bool IsSettled => RunningUntil is null;

    /// <summary>In progress under a live lease: a redelivery waits for the holder to finish or die.</summary>
    public bool IsRunningAt(DateTimeOffset now) => RunningUntil is { } until && now < until;

    /// <summary>In progress but its lease ran out: the holder died without an outcome; the run may be taken over.</summary>
    public bool IsAbandonedAt(DateTimeOffset now) => RunningUntil is { } until && until <= now;
}
