using System.Globalization;

namespace EventPatterns.Benchmarks;

/// <summary>The timed pass over all events for one kind.</summary>
/// <param name="Matches">Matches summed over the kind's patterns.</param>
/// <param name="CpuShare">Process CPU time over wall time during the pass: well under 1 when other
/// work on the machine kept the benchmark off the CPU, and the rate is then too low.</param>
/// <param name="EventsPerCpuSecond">Events over the process CPU time of the pass: steadier than the rate on a
/// loaded machine.</param>
/// <param name="WarmupPasses">Untimed passes run before timing.</param>
/// <param name="Steady">Whether the last two warm-up passes were within 2% of each other (false: gave up).</param>
/// <param name="RefusedEvents">Events the matcher refused (returned false for); 0 in a sound run.</param>
/// <param name="FirstError">The matcher's error for the first refused event.</param>
internal readonly record struct KindResult(
    string Kind,
    double EventsPerSecond,
    long Matches,
    double AllocatedBytesPerEvent,
    double CpuShare,
    double EventsPerCpuSecond,
    int WarmupPasses,
    bool Steady,
    int RefusedEvents,
    string? FirstError)
{
    /// <summary><c>KIND EVENTS_PER_SECOND MATCHES ALLOC_BYTES_PER_EVENT</c>, for example
    /// <c>EXACT 412345 1234 0.00</c>.</summary>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Kind} {EventsPerSecond:F0} {Matches} {AllocatedBytesPerEvent:F2}");
}
