using Microsoft.Extensions.Options;
using RemediationWorker.Ledger;

namespace RemediationWorker.Guards;

/// <summary>Admits a run: the guards on the ledger's state (<see cref="Evaluate"/>), then the ledger's atomic claim
/// (<see cref="ClaimAsync"/>: a start, or the takeover of a dead replica's run), whose conditions are the same rules
/// checked again against the stored state. A condition that failed there (another handler won a race) is answered
/// as the guard of that rule would have answered: deferred when it passes with time, skipped when it is final.</summary>
internal sealed class Admission
{
    /// <summary>How long a claim on (event id, playbook id) lasts: EventBridge retries delivery for 24 h.</summary>
    public static readonly TimeSpan IdempotencyWindow = TimeSpan.FromHours(25);

    /// <summary>When a deferral has no better time (the ledger or SSM unavailable, a race lost to another replica,
    /// an escalation not created): look again after this.</summary>
    public static readonly TimeSpan Recheck = TimeSpan.FromMinutes(1);

    private readonly GuardPipeline _guards;
    private readonly ILedger _ledger;

    /// <summary>Added to the playbook timeout for the lease, so tracking can record the outcome first (<see cref="LedgerOptions.LeaseMargin"/>).</summary>
    private readonly TimeSpan _leaseMargin;

    public Admission(GuardPipeline guards, ILedger ledger, IOptions<LedgerOptions> ledgerOptions)
    {
        _guards = guards;
        _ledger = ledger;
        _leaseMargin = ledgerOptions.Value.LeaseMargin;
    }

    public GuardVerdict Evaluate(AdmissionCase admission)
        => _guards.Evaluate(new GuardContext(admission.Version, admission.Playbook, admission.Envelope, admission.Key.Resource, admission.Now, admission.Snapshot));

    /// <summary>Claims the run for <paramref name="owner"/>: <see cref="GuardVerdict.Allowed"/> when it is this
    /// owner's now, else the skip or deferral of the rule whose condition failed.</summary>
    public async ValueTask<GuardVerdict> ClaimAsync(AdmissionCase admission, bool takeover, string owner, CancellationToken cancellationToken)
    {
        var (version, playbook, key, snapshot, now) = (admission.Version, admission.Playbook, admission.Key, admission.Snapshot, admission.Now);
        var limits = playbook.Options.Limits;
        var leaseUntil = now + limits.Timeout + _leaseMargin;
        if (takeover)
        {
            // The same run, not a new one: no attempt, no start in the minute; the runner's start with the same
            // ClientToken finds the execution the dead replica started (or starts it, if it never got that far).
            // While the breaker is half-open, the run is its trial: the takeover renews the trial's mark.
            var takeoverConflict = await _ledger.TryTakeOverAsync(
                new TakeoverRequest(key, owner, now, leaseUntil, version.Options.Limits) { MarkTrial = snapshot.Breaker.IsHalfOpenAt(now) },
                cancellationToken);
            return takeoverConflict switch
            {
                StartConflict.None => GuardVerdict.Allowed,
                StartConflict.AlreadyClaimed => GuardVerdict.Skip(GuardNames.Duplicate, $"event {key.EventId} was already handled by playbook {playbook.Id} (its run finished before the takeover)"),
                _ => GuardVerdict.Defer(GuardOf(takeoverConflict), $"the takeover of the run found another handler first ({takeoverConflict}); the event waits for redelivery", RetryAtOf(takeoverConflict, now)),
            };
        }

        var conflict = await _ledger.TryStartAsync(
            new StartRequest(key, owner, now, leaseUntil, now + IdempotencyWindow, limits, version.Options.Limits) { SeenAttempts = snapshot.Attempts },
            cancellationToken);
        return conflict switch
        {
            StartConflict.None => GuardVerdict.Allowed,
            StartConflict.RunInProgress => GuardVerdict.Defer(GuardNames.Duplicate, $"another handler claimed event {key.EventId} first and its run is in progress; the event waits for redelivery", now + Recheck),
            StartConflict.LeaseHeld or StartConflict.RateLimited or StartConflict.InFlightLimited or StartConflict.BreakerOpen
                => GuardVerdict.Defer(GuardOf(conflict), $"another handler got there first ({conflict}); the event waits", RetryAtOf(conflict, now)),
            _ => GuardVerdict.Skip(GuardOf(conflict), $"another handler got there first ({conflict})"),
        };
    }

    private static string GuardOf(StartConflict conflict) => conflict switch
    {
        StartConflict.AlreadyClaimed or StartConflict.RunInProgress => GuardNames.Duplicate,
        StartConflict.LeaseHeld => GuardNames.Lease,
        StartConflict.BudgetExhausted => GuardNames.AttemptBudget,
        StartConflict.CoolingDown => GuardNames.Cooldown,
        StartConflict.RateLimited => GuardNames.RateLimit,
        StartConflict.InFlightLimited => GuardNames.InFlight,
        _ => GuardNames.Breaker,
    };

    private static DateTimeOffset RetryAtOf(StartConflict conflict, DateTimeOffset now)
        => conflict == StartConflict.RateLimited ? RateLimitGuard.NextMinute(now) : now + Recheck;
}
