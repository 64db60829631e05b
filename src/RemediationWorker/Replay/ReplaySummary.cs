using RemediationWorker.Audit;
using RemediationWorker.Remediation;

namespace RemediationWorker.Replay;

/// <summary>Counts of a replay: events, final decisions, decisions per playbook, stops per guard.</summary>
internal sealed class ReplaySummary
{
    public int Events { get; private set; }

    public SortedDictionary<string, int> Decisions { get; } = new(StringComparer.Ordinal);

    /// <summary>Per playbook, in configuration order: decision → count.</summary>
    public Dictionary<string, SortedDictionary<string, int>> Playbooks { get; } = new(StringComparer.Ordinal);

    /// <summary>Per guard: how many runs it stopped (skipped or escalated).</summary>
    public SortedDictionary<string, int> Guards { get; } = new(StringComparer.Ordinal);

    public void Add(EventResult result)
    {
        Events++;
        foreach (var verdict in result.Verdicts)
        {
            var decision = verdict.Decision.ToWireName();
            Increment(Decisions, decision);
            if (verdict.Playbook is { } playbook)
            {
                if (!Playbooks.TryGetValue(playbook, out var counts))
                {
                    Playbooks[playbook] = counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
                }

                Increment(counts, decision);
            }

            if (verdict.Guard is { } guard)
            {
                Increment(Guards, guard);
            }
        }
    }

    private static void Increment(SortedDictionary<string, int> counts, string key)
        => counts[key] = counts.TryGetValue(key, out var count) ? count + 1 : 1;
}
