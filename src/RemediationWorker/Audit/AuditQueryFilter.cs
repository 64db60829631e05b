using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace RemediationWorker.Audit;

/// <summary>Which records <c>audit query</c> selects. Every given criterion must hold; the resource by any of its
/// names or a prefix ending in <c>*</c> (<see cref="ResourceNames"/>), other text exactly (ordinal), decisions by
/// wire name, and time is the half-open range [<see cref="Since"/>, <see cref="Until"/>): since inclusive, until
/// exclusive.</summary>
internal sealed record AuditQueryFilter
{
    public static readonly AuditQueryFilter All = new();

    public string? Resource { get; init; }
    public string? Playbook { get; init; }
    public string? EventId { get; init; }

    /// <summary><see langword="null"/> or empty selects every decision.</summary>
    public IReadOnlySet<AuditDecision>? Decisions { get; init; }

    public DateTimeOffset? Since { get; init; }
    public DateTimeOffset? Until { get; init; }

    public bool Matches(StoredAuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return (Resource is null || ResourceNames.Matches(Resource, record.Resource))
            && (Playbook is null || string.Equals(Playbook, record.Playbook, StringComparison.Ordinal))
            && (EventId is null || string.Equals(EventId, record.EventId, StringComparison.Ordinal))
            && (Decisions is not { Count: > 0 } || Decisions.Contains(record.Decision))
            && (Since is null || record.Time >= Since.Value)
            && (Until is null || record.Time < Until.Value);
    }

    /// <summary>Builds a filter from command-line text: decisions as repeated values and/or comma lists of wire
    /// names; times as ISO-8601, taken as UTC when they carry no offset.</summary>
    public static bool TryCreate(
        string? resource,
        string? playbook,
        string? eventId,
        IEnumerable<string>? decisions,
        string? since,
        string? until,
        [NotNullWhen(true)] out AuditQueryFilter? filter,
        [NotNullWhen(false)] out string? problem)
    {
        filter = null;
        var selected = new HashSet<AuditDecision>();
        foreach (var name in (decisions ?? []).SelectMany(d => d.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!AuditDecisions.TryParse(name, out var decision))
            {
                problem = $"unknown decision '{name}'; expected one of: " +
                    string.Join(", ", Enum.GetValues<AuditDecision>().Select(d => d.ToWireName()));
                return false;
            }

            selected.Add(decision);
        }

        if (!TryParseTime("--since", since, out var sinceTime, out problem)
            || !TryParseTime("--until", until, out var untilTime, out problem))
        {
            return false;
        }

        if (sinceTime > untilTime)
        {
            problem = "--since is later than --until";
            return false;
        }

        filter = new AuditQueryFilter
        {
            Resource = resource,
            Playbook = playbook,
            EventId = eventId,
            Decisions = selected.Count == 0 ? null : selected,
            Since = sinceTime,
            Until = untilTime,
        };
        return true;
    }

    private static bool TryParseTime(string option, string? text, out DateTimeOffset? time, [NotNullWhen(false)] out string? problem)
    {
        time = null;
        problem = null;
        if (text is null)
        {
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            time = parsed;
            return true;
        }

        problem = $"{option} '{text}' is not an ISO-8601 time (for example 2025-06-01T12:00:00Z)";
        return false;
    }
}
