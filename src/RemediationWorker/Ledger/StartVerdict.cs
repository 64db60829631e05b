namespace RemediationWorker.Ledger;

/// <summary>What a cancelled start transaction means: a <see cref="Conflict"/> (a condition really failed), or,
/// when none did, what to mend before the next try: the attempt state actually stored, a missing leases item,
/// expired leases that still fill the in-flight count.</summary>
internal sealed record StartVerdict(
    StartConflict Conflict,
    AttemptState? StoredAttempts,
    bool LeasesMissing,
    IReadOnlyList<KeyValuePair<string, long>> ExpiredLeases)
{
    public static StartVerdict Of(StartConflict conflict) => new(conflict, null, false, []);
}
