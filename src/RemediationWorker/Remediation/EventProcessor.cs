using EventPatterns;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using RemediationWorker.Audit;
using RemediationWorker.Diagnostics;
using RemediationWorker.Execution;
using RemediationWorker.Guards;
using RemediationWorker.Intake;
using RemediationWorker.Ledger;
using RemediationWorker.Playbooks;

namespace RemediationWorker.Remediation;

/// <summary>Runs one event through the decision path of docs/playbooks.md: shape check, match (on the raw bytes),
/// playbooks in order, resource and parameters, guards on the ledger's state, the ledger's atomic start, the
/// intent made durable, runbook (dry-run plans), outcome, escalation. Every decision is one audit record; the
/// intent (<c>starting</c>) is on disk before the runbook is started, and all records are flushed before the
/// event counts as handled. A deferred event is kept (its <c>retryAt</c>); only a final verdict lets it go.</summary>
internal sealed class EventProcessor
{
    private readonly PlaybookCatalog _catalog;
    private readonly Admission _admission;
    private readonly ILedger _ledger;
    private readonly RunTracker _runs;
    private readonly AuditTrail _audit;
    private readonly EscalationStep _escalations;
    private readonly TimeProvider _timeProvider;
    private readonly WorkerIdentity _worker;
    private readonly ILogger<EventProcessor> _logger;
    private readonly WorkerMetrics _metrics;

    public EventProcessor(
        PlaybookCatalog catalog,
        Admission admission,
        ILedger ledger,
        RunTracker runs,
        AuditTrail audit,
        EscalationStep escalations,
        TimeProvider timeProvider,
        WorkerIdentity worker,
        ILogger<EventProcessor> logger,
        WorkerMetrics metrics)
    {
        _catalog = catalog;
        _admission = admission;
        _ledger = ledger;
        _runs = runs;
        _audit = audit;
        _escalations = escalations;
        _timeProvider = timeProvider;
        _worker = worker;
        _logger = logger;
        _metrics = metrics;
    }

    /// <summary>Checks an input and matches it against <paramref name="version"/>'s playbooks in one walk of its bytes
    /// (<see cref="EventIntakeCheck"/>); the envelope from the top level.</summary>
    public static InspectedInput Inspect(IncomingEvent incoming, ConfigurationVersion version)
    {
        if (incoming.ReadError is { } readError)
        {
            return new InspectedInput(incoming, null, readError) { Version = version };
        }

        var matches = new List<int>(2);
        var values = new FieldValues(version.Matcher);
        return EventIntakeCheck.TryRead(incoming.Body.Span, version.Matcher, version.Limits, matches, values, out var envelope, out var error)
            ? new InspectedInput(incoming, envelope, null) { Version = version, Matches = matches, Values = values }
            : new InspectedInput(incoming, null, error) { Version = version };
    }

    public ValueTask<EventResult> ProcessAsync(IncomingEvent incoming, CancellationToken cancellationToken)
        => ProcessAsync(Inspect(incoming, _catalog.Current), cancellationToken);

    /// <summary>Decides one event inside its trace activity, counting it (Diagnostics/WorkerMetrics).</summary>
    public async ValueTask<EventResult> ProcessAsync(InspectedInput input, CancellationToken cancellationToken)
    {
        using var activity = WorkerTelemetry.StartProcessEvent(input);
        _metrics.EventReceived(input.Envelope?.Source);
        try
        {
            var result = await ProcessCoreAsync(input, cancellationToken);
            WorkerTelemetry.Complete(activity, result);
            return result;
        }
        catch (Exception ex)
        {
            WorkerTelemetry.Fail(activity, ex);
            throw;
        }
    }

    private async ValueTask<EventResult> ProcessCoreAsync(InspectedInput input, CancellationToken cancellationToken)
    {
        var version = input.Version;
        var body = input.Incoming.Body;
        var received = new AuditRecord
        {
            Time = _timeProvider.GetUtcNow(),
            WorkerId = _worker.Id,
            Decision = AuditDecision.Received,
            ConfigHash = version.Hash,
            EventId = input.Envelope?.Id,
            Source = input.Envelope?.Source,
            DetailType = input.Envelope?.DetailType,
            Account = input.Envelope?.Account,
            Region = input.Envelope?.Region,
            Resource = input.Envelope?.Resources is [var named, ..] ? named : null,
        };

        if (input.Envelope is not { } envelope)
        {
            return await RejectAsync(received, null, input.Incoming.Name, input.Error ?? "not an event", cancellationToken);
        }

        var matches = input.Matches;

        // Indexes past the playbooks are their conditions alone, for the no-match reason.
        var playbookCount = version.Playbooks.Count;
        if (matches.Count == 0 || matches.Min() >= playbookCount)
        {
            _logger.NoMatch(envelope.Id, envelope.DetailType, envelope.Source);
            _metrics.Decision(AuditDecision.NoMatch.ToWireName(), null, null);
            // Not parsed: the ids a run of ours may have caused and the values the reason shows are read from the bytes.
            var (cause, unknown) = _ledger.KnowsNoCause ? (null, string.Empty) : await FindCauseAsync(CausedIdFields.In(body.Span, version.MatcherOptions.MaxDepth), cancellationToken);
            if (cause is not null)
            {
                received = received with { CausedBy = cause.ExecutionId };
            }

            await _audit.WriteAsync(received, cancellationToken);
            await _audit.WriteAsync(received with { Decision = AuditDecision.NoMatch, Reason = NoMatchReason(version, input, body.Span) + unknown }, cancellationToken);
            await _audit.FlushAsync(cancellationToken);
            return new EventResult(EventOutcome.Handled, envelope, [new EventVerdict(AuditDecision.NoMatch)]);
        }

        // Only matched events are parsed into a document: the rest cost the one walk that checked and matched them.
        using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = version.MatcherOptions.MaxDepth });
        var story = new EventStory(received, CausedIdFields.In(body.Span, version.MatcherOptions.MaxDepth));
        var verdicts = new List<EventVerdict>(matches.Count);
        foreach (var index in matches)
        {
            if (index >= playbookCount)
            {
                continue;
            }

            var playbook = version.Playbooks[index];
            var verdict = await HandlePlaybookAsync(version, playbook, envelope, document.RootElement, story, cancellationToken);
            verdicts.Add(verdict);
            if (verdict.Decision == AuditDecision.Deferred)
            {
                // Decided playbooks stay decided (their claims answer the redelivery); the rest waits for it.
                await _audit.FlushAsync(cancellationToken);
                return new EventResult(EventOutcome.RetryLater, envelope, verdicts);
            }

            if (!playbook.Options.Continue)
            {
                break;
            }
        }

        await _audit.FlushAsync(cancellationToken);
        return new EventResult(EventOutcome.Handled, envelope, verdicts);
    }

    /// <summary>The run of ours that caused an event no playbook matched (a stack's <c>UPDATE_ROLLBACK_COMPLETE</c>
    /// after our <c>ContinueUpdateRollback</c>), so its records carry <c>causedBy</c>; looked up only when the event
    /// carries an id a run may have caused. The ledger unavailable: the decision stands, its reason says the cause is
    /// unknown.</summary>
    private async ValueTask<(CauseState? Cause, string Unknown)> FindCauseAsync(IReadOnlyList<string> candidates, CancellationToken cancellationToken)
    {
        try
        {
            return (candidates.Count == 0 ? null : await _ledger.FindCauseAsync(candidates, _timeProvider.GetUtcNow(), cancellationToken), string.Empty);
        }
        catch (LedgerUnavailableException ex)
        {
            return (null, $"; whether a run of ours caused it is unknown: {ex.Message}");
        }
    }

    /// <summary>The same explanation <c>test-pattern --explain</c> gives, for the playbook that came closest.</summary>
    private static string NoMatchReason(ConfigurationVersion version, InspectedInput input, ReadOnlySpan<byte> utf8Event)
        => version.Explainer.NearestMiss(version.PlaybookIds, input.Matches, utf8Event, input.Values!) ?? "no playbook is enabled";

    private async ValueTask<EventResult> RejectAsync(AuditRecord received, EventEnvelope? envelope, string inputName, string reason, CancellationToken cancellationToken)
    {
        _logger.InputRejected(inputName, reason);
        _metrics.Decision(AuditDecision.Rejected.ToWireName(), null, null);
        await _audit.WriteAsync(received with { Decision = AuditDecision.Rejected, Reason = reason, Input = inputName }, cancellationToken);
        await _audit.FlushAsync(cancellationToken);
        return new EventResult(EventOutcome.Rejected, envelope, [new EventVerdict(AuditDecision.Rejected, Reason: reason)]);
    }

    /// <summary>One playbook's part of the story: resource and parameters, the ledger's state (which also says
    /// whether a run of ours caused the event), the <c>received</c> and <c>matched</c> records, then the guards.</summary>
    private async ValueTask<EventVerdict> HandlePlaybookAsync(
        ConfigurationVersion version, CompiledPlaybook playbook, EventEnvelope envelope, JsonElement root, EventStory story, CancellationToken cancellationToken)
    {
        var now = _timeProvider.GetUtcNow();
        _metrics.EventMatched(playbook.Id);

        var rendered = RenderedPlaybook.Render(playbook, root);
        if (!rendered.IsRendered)
        {
            var unrendered = await story.MatchedAsync(_audit, playbook.Id, rendered.Resource, now, cancellationToken);
            return await _audit.SkipAsync(unrendered, rendered.FailedCheck!, rendered.Failure!, cancellationToken);
        }

        var (resource, parameters) = (rendered.Resource!, rendered.Parameters!);
        var key = new LedgerKey(envelope.Id, playbook.Id, resource) { CausedIdCandidates = story.CausedIdCandidates };
        LedgerSnapshot snapshot;
        try
        {
            snapshot = await _ledger.ReadAsync(key, now, cancellationToken);
        }
        catch (LedgerUnavailableException ex)
        {
            var matched = await story.MatchedAsync(_audit, playbook.Id, resource, now, cancellationToken);
            return await DeferForLedgerAsync(matched, ex, now, cancellationToken);
        }

        story.Caused(snapshot.CausedBy);
        var record = await story.MatchedAsync(_audit, playbook.Id, resource, now, cancellationToken);
        if (snapshot.Breaker.EscalationOwed && await _escalations.EscalateBreakerAsync(version, playbook, record, snapshot.Breaker, cancellationToken) is { } owed)
        {
            return owed; // the breaker's escalation still cannot be created: the event is kept until it can
        }

        try
        {
            return await GuardAndRunAsync(new AdmissionCase(version, playbook, envelope, key, snapshot, now), parameters, record, cancellationToken);
        }
        catch (LedgerUnavailableException ex)
        {
            return await DeferForLedgerAsync(record, ex, now, cancellationToken);
        }
    }

    /// <summary>Without the ledger no guard can answer: nothing starts, and the event is neither dropped nor decided.</summary>
    private ValueTask<EventVerdict> DeferForLedgerAsync(AuditRecord record, LedgerUnavailableException ex, DateTimeOffset now, CancellationToken cancellationToken)
        => _audit.DeferAsync(record, GuardNames.Ledger, $"the ledger is unavailable, nothing was started; the event waits for redelivery ({ex.Message})", now + Admission.Recheck, cancellationToken);

    /// <summary>The guards on the ledger's state, the ledger's atomic claim, then the run (<see cref="RunTracker"/>).</summary>
    private async ValueTask<EventVerdict> GuardAndRunAsync(AdmissionCase admission, Dictionary<string, string> parameters, AuditRecord record, CancellationToken cancellationToken)
    {
        var verdict = _admission.Evaluate(admission);
        if (await DecideUnlessAllowedAsync(admission, verdict, record, cancellationToken) is { } decided)
        {
            return decided;
        }

        var (version, playbook, envelope, key) = (admission.Version, admission.Playbook, admission.Envelope, admission.Key);
        var takeover = verdict.Outcome == GuardOutcome.TakeOver;
        var mode = _runs.ModeFor(version, playbook);
        if (!_runs.CanRun(mode))
        {
            return await _audit.SkipAsync(record, GuardNames.Execution, "mode Live but this build has no automation runner", cancellationToken);
        }

        var owner = $"{_worker.Id}:{envelope.Id}";
        var claimed = await _admission.ClaimAsync(admission, takeover, owner, cancellationToken);
        if (await DecideUnlessAllowedAsync(admission, claimed, record, cancellationToken) is { } lost)
        {
            return lost;
        }

        if (takeover)
        {
            _logger.RunTakenOver(playbook.Id, envelope.Id, key.Resource, admission.Snapshot.Claim!.Owner, admission.Snapshot.Claim.RunningUntil);
            record = record with { Reason = verdict.Reason };
        }

        var runbook = playbook.Options.Runbook;
        var plan = new RunbookPlan(envelope.Id, playbook.Id, key.Resource, runbook.DocumentName, runbook.DocumentVersion, runbook.AutomationAssumeRole, parameters);
        record = record with
        {
            Mode = mode.ToString(),
            DocumentName = plan.DocumentName,
            DocumentVersion = plan.DocumentVersion,
            Parameters = parameters,
        };
        return await _runs.RunAsync(new AdmittedRun(version, playbook, key, owner, plan, mode, takeover), record, cancellationToken);
    }

    /// <summary>The record of a verdict that does not let the run go on (escalated, deferred, skipped); null when it does.</summary>
    private async ValueTask<EventVerdict?> DecideUnlessAllowedAsync(AdmissionCase admission, GuardVerdict verdict, AuditRecord record, CancellationToken cancellationToken)
        => verdict.Outcome switch
        {
            GuardOutcome.Escalated => await _escalations.EscalateGuardAsync(admission, verdict, record, cancellationToken),
            GuardOutcome.Deferred => await _audit.DeferAsync(record, verdict.Guard!, verdict.Reason!, verdict.RetryAt ?? admission.Now + Admission.Recheck, cancellationToken),
            GuardOutcome.Skipped => await _audit.SkipAsync(record, verdict.Guard!, verdict.Reason!, cancellationToken),
            _ => null,
        };
}
