using System.Text.Json;
using Microsoft.Extensions.Logging;
using RemediationWorker.Audit;
using RemediationWorker.Diagnostics;
using RemediationWorker.Escalation;
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
    private readonly DryRunAutomationRunner _dryRun;
    private readonly IAutomationRunner? _liveRunner;
    private readonly AuditTrail _audit;
    private readonly TimeProvider _timeProvider;
    private readonly WorkerIdentity _worker;
    private readonly RunSettings _settings;
    private readonly ILogger<EventProcessor> _logger;
    private readonly Escalator _escalator;
    private readonly WorkerMetrics _metrics;

    public EventProcessor(
        PlaybookCatalog catalog,
        Admission admission,
        ILedger ledger,
        DryRunAutomationRunner dryRun,
        IEnumerable<IAutomationRunner> liveRunners,
        AuditTrail audit,
        TimeProvider timeProvider,
        WorkerIdentity worker,
        RunSettings settings,
        ILogger<EventProcessor> logger,
        WorkerMetrics metrics,
        Escalator escalator)
    {
        _escalator = escalator;
        _catalog = catalog;
        _admission = admission;
        _ledger = ledger;
        _dryRun = dryRun;
        _liveRunner = liveRunners.LastOrDefault();
        _audit = audit;
        _timeProvider = timeProvider;
        _worker = worker;
        _settings = settings;
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
        return EventIntakeCheck.TryRead(incoming.Body.Span, version.Matcher, version.Limits, matches, out var envelope, out var error)
            ? new InspectedInput(incoming, envelope, null) { Version = version, Matches = matches }
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
        };

        if (input.Envelope is not { } envelope)
        {
            return await RejectAsync(received, null, input.Incoming.Name, input.Error ?? "not an event", cancellationToken);
        }

        var matches = input.Matches;
        if (matches.Count == 0)
        {
            _logger.NoMatch(envelope.Id, envelope.DetailType, envelope.Source);
            _metrics.Decision(AuditDecision.NoMatch.ToWireName(), null, null);
            await _audit.WriteAsync(received, cancellationToken);
            await _audit.WriteAsync(received with { Decision = AuditDecision.NoMatch }, cancellationToken);
            await _audit.FlushAsync(cancellationToken);
            return new EventResult(EventOutcome.Handled, envelope, [new EventVerdict(AuditDecision.NoMatch)]);
        }

        // Only matched events are parsed into a document: the rest cost the one walk that checked and matched them.
        using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = version.MatcherOptions.MaxDepth });
        var story = new EventStory(received, CausedIdFields.In(document.RootElement));
        var verdicts = new List<EventVerdict>(matches.Count);
        foreach (var index in matches)
        {
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
        try
        {
            return await GuardAndRunAsync(version, playbook, envelope, key, snapshot, parameters, record, now, cancellationToken);
        }
        catch (LedgerUnavailableException ex)
        {
            return await DeferForLedgerAsync(record, ex, now, cancellationToken);
        }
    }

    /// <summary>Without the ledger no guard can answer: nothing starts, and the event is neither dropped nor decided.</summary>
    private ValueTask<EventVerdict> DeferForLedgerAsync(AuditRecord record, LedgerUnavailableException ex, DateTimeOffset now, CancellationToken cancellationToken)
        => _audit.DeferAsync(record, GuardNames.Ledger, $"the ledger is unavailable, nothing was started; the event waits for redelivery ({ex.Message})", now + Admission.Recheck, cancellationToken);

    /// <summary>The guards on the ledger's state, the ledger's atomic claim, then the run.</summary>
    private async ValueTask<EventVerdict> GuardAndRunAsync(
        ConfigurationVersion version, CompiledPlaybook playbook, EventEnvelope envelope, LedgerKey key, LedgerSnapshot snapshot, Dictionary<string, string> parameters, AuditRecord record, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var verdict = _admission.Evaluate(version, playbook, envelope, key, snapshot, now);
        if (await DecideUnlessAllowedAsync(version, playbook, key, snapshot, verdict, record, now, cancellationToken) is { } decided)
        {
            return decided;
        }

        var takeover = verdict.Outcome == GuardOutcome.TakeOver;
        var mode = _settings.DryRunOnly ? RunMode.DryRun : version.EffectiveMode(playbook);
        var runner = mode == RunMode.DryRun ? _dryRun : _liveRunner;
        if (runner is null)
        {
            return await _audit.SkipAsync(record, GuardNames.Execution, "mode Live but this build has no automation runner", cancellationToken);
        }

        var owner = $"{_worker.Id}:{envelope.Id}";
        var claimed = await _admission.ClaimAsync(version, playbook, key, snapshot, takeover, owner, now, cancellationToken);
        if (await DecideUnlessAllowedAsync(version, playbook, key, snapshot, claimed, record, now, cancellationToken) is { } lost)
        {
            return lost;
        }

        if (takeover)
        {
            _logger.RunTakenOver(playbook.Id, envelope.Id, key.Resource, snapshot.Claim!.Owner, snapshot.Claim.RunningUntil);
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
        return await RunAsync(version, playbook, plan, runner, mode, key, owner, takeover, record, cancellationToken);
    }

    /// <summary>The record of a verdict that does not let the run go on (escalated, deferred, skipped); null when it does.</summary>
    private async ValueTask<EventVerdict?> DecideUnlessAllowedAsync(
        ConfigurationVersion version, CompiledPlaybook playbook, LedgerKey key, LedgerSnapshot snapshot, GuardVerdict verdict, AuditRecord record, DateTimeOffset now, CancellationToken cancellationToken)
        => verdict.Outcome switch
        {
            GuardOutcome.Escalated => await EscalateAsync(version, playbook, key, snapshot, verdict, record, now, cancellationToken),
            GuardOutcome.Deferred => await _audit.DeferAsync(record, verdict.Guard!, verdict.Reason!, verdict.RetryAt ?? now + Admission.Recheck, cancellationToken),
            GuardOutcome.Skipped => await _audit.SkipAsync(record, verdict.Guard!, verdict.Reason!, cancellationToken),
            _ => null,
        };

    /// <summary>An escalating guard: the attempt budget spent (escalated once per exhaustion) or a loop (an event
    /// our own run of this playbook caused). The OpsItem comes first: one that cannot be created defers the event,
    /// so the escalation is retried, never lost (its de-duplication key makes the retry join the same item).</summary>
    private async ValueTask<EventVerdict> EscalateAsync(
        ConfigurationVersion version, CompiledPlaybook playbook, LedgerKey key, LedgerSnapshot snapshot, GuardVerdict verdict, AuditRecord record, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var limits = playbook.Options.Limits;
        var executions = snapshot.CausedBy is { } cause ? new[] { cause.ExecutionId } : [];
        if (!await _escalator.TryEscalateAsync(version, playbook, record, verdict.Reason!, snapshot.Attempts.AttemptsAt(now, limits.AttemptWindow), executions, cancellationToken))
        {
            return await DeferEscalationAsync(record, verdict.Reason!, now, cancellationToken);
        }

        if (verdict.Guard == GuardNames.AttemptBudget
            && !await _ledger.TryMarkEscalatedAsync(key, now, snapshot.Attempts.WindowEnds(limits.AttemptWindow) ?? now, cancellationToken))
        {
            return await _audit.SkipAsync(record, verdict.Guard, $"{verdict.Reason} (already escalated)", cancellationToken);
        }

        return await _audit.DecideAsync(record with { Decision = AuditDecision.Escalated, Guard = verdict.Guard, Reason = verdict.Reason }, cancellationToken);
    }

    private ValueTask<EventVerdict> DeferEscalationAsync(AuditRecord record, string reason, DateTimeOffset now, CancellationToken cancellationToken)
        => _audit.DeferAsync(record, GuardNames.Escalation, $"the escalation could not be created; it is tried again ({reason})", now + Admission.Recheck, cancellationToken);

    /// <summary>Starts (or, after a takeover, finds) the run and tracks it to its end. A live start is preceded by
    /// its intent (<c>starting</c>), durable before SSM is called; if the intent cannot be written, nothing starts
    /// and the claim and attempt are given back. A run handed back unfinished: a run this owner started gives back
    /// its claim and attempt (<see cref="RunOutcome.NotStarted"/>), a run it took over ends its claim's lease
    /// (<see cref="RunOutcome.HandedBack"/>; the original start's attempt stays spent). A takeover's reason is in
    /// <paramref name="record"/> and goes into its <c>started</c> (or <c>planned</c>) record; it counts as taken
    /// over, not as started.</summary>
    private async ValueTask<EventVerdict> RunAsync(
        ConfigurationVersion version, CompiledPlaybook playbook, RunbookPlan plan, IAutomationRunner runner, RunMode mode, LedgerKey key, string owner, bool takeover, AuditRecord record, CancellationToken cancellationToken)
    {
        var handBack = takeover ? RunOutcome.HandedBack : RunOutcome.NotStarted;
        var settle = new Settlement(version, playbook, key, owner);
        if (mode == RunMode.Live)
        {
            record = record with { ClientToken = ClientTokens.For(plan.EventId, plan.PlaybookId) };
            try
            {
                await _audit.WriteIntentAsync(record with { Decision = AuditDecision.Starting, Time = _timeProvider.GetUtcNow() }, cancellationToken);
            }
            catch (AuditUnavailableException)
            {
                await SettleInLedgerAsync(settle, handBack, null, [], CancellationToken.None);
                throw;
            }
        }

        var startedAt = _timeProvider.GetUtcNow();
        RunbookStart start;
        try
        {
            start = await runner.StartAsync(plan, cancellationToken);
        }
        catch (AutomationStartDeferredException ex)
        {
            // Not started for a reason that passes (throttling, 5xx, the automation queue full): release the claim
            // and keep the event for later; the ClientToken keeps a later start single.
            _logger.AutomationFailed(ex, plan.DocumentName, playbook.Id, plan.EventId);
            var deferred = await _audit.DeferAsync(record, GuardNames.Execution, ex.Message, _timeProvider.GetUtcNow() + Admission.Recheck, cancellationToken);
            await RecordOutcomeAsync(settle, handBack, record, null, cancellationToken);
            return deferred;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown before SSM answered (the start waiting for the rate limit or a retry): hand the run back as the
            // tracking below does, so the redelivery starts it (or finds it by the same ClientToken) at once instead
            // of finding a claim with no run until its lease ends.
            await RecordOutcomeAsync(settle, handBack, record, null, CancellationToken.None);
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not AuditUnavailableException)
        {
            _logger.AutomationFailed(ex, plan.DocumentName, playbook.Id, plan.EventId);
            _metrics.RunEnded(playbook.Id, AuditDecision.Failed.ToWireName(), null);
            var failed = await _audit.DecideAsync(record with { Time = _timeProvider.GetUtcNow(), Decision = AuditDecision.Failed, Reason = $"the runbook could not be started: {ex.Message}" }, cancellationToken);
            await RecordOutcomeAsync(settle, RunOutcome.Failed, record, null, cancellationToken);
            return failed;
        }

        if (start.Planned)
        {
            _logger.RunbookPlanned(plan.DocumentName, playbook.Id, plan.Resource, plan.EventId);
            CountStart(playbook, RunMode.DryRun, takeover);
            _metrics.RunEnded(playbook.Id, AuditDecision.Planned.ToWireName(), null);
            const string Planned = "dry-run: the runbook was planned, not started";
            var planned = await _audit.DecideAsync(record with { Decision = AuditDecision.Planned, Reason = record.Reason is { } tookOver ? $"{Planned}; {tookOver}" : Planned }, cancellationToken);
            await RecordOutcomeAsync(settle, RunOutcome.Planned, record, null, cancellationToken);
            return planned;
        }

        var executionId = start.ExecutionId!;
        CountStart(playbook, RunMode.Live, takeover);
        record = record with { ExecutionId = executionId };
        await _audit.WriteAsync(record with { Decision = AuditDecision.Started, Time = startedAt }, cancellationToken);
        await _audit.FlushAsync(cancellationToken);

        RunbookResult result;
        DeadlineVerdict? deadline = null;
        using (var timeout = new CancellationTokenSource(playbook.Options.Limits.Timeout, _timeProvider))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken))
        {
            try
            {
                result = await runner.WaitForCompletionAsync(executionId, linked.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                deadline = await runner.OnDeadlineAsync(executionId, playbook.Options.Limits.StopOnTimeout, cancellationToken);
                result = new RunbookResult(RunbookStatus.TimedOut, "TimedOut", $"no terminal status within the playbook timeout {playbook.Options.Limits.Timeout}; {deadline.Value.Reason}");
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Shutdown: the message goes back to the queue with the run still going. Giving back the claim, the
                // attempt and the lease lets the redelivery (on any replica, with a shared ledger) take the run over:
                // the same ClientToken finds the same execution.
                await RecordOutcomeAsync(settle, handBack, record, null, CancellationToken.None);
                throw;
            }
        }

        return await SettleAsync(settle, result, deadline is { Escalate: true }, startedAt, record, cancellationToken);
    }

    /// <summary>The run's end: its decision; a refusal, a partial fix, or a run still inside its runbook's own waits at
    /// the deadline (<paramref name="escalateTimeout"/>: people decide, the worker does not cut it short) is escalated
    /// (not a failure of the automation, so the breaker does not count it); then the ledger settles the claim and keeps the ids the run
    /// caused. An escalation that could not be created hands the run back, so the redelivery finds the same
    /// execution and escalates again.</summary>
    private async ValueTask<EventVerdict> SettleAsync(Settlement settle, RunbookResult result, bool escalateTimeout, DateTimeOffset startedAt, AuditRecord record, CancellationToken cancellationToken)
    {
        var (playbook, executionId) = (settle.Playbook, record.ExecutionId!);
        var ended = _timeProvider.GetUtcNow();
        _logger.AutomationFinished(executionId, playbook.Id, result.StatusText, ended - startedAt);
        var (decision, outcome) = result.Status switch
        {
            RunbookStatus.Succeeded => (AuditDecision.Succeeded, RunOutcome.Succeeded),
            RunbookStatus.TimedOut => (AuditDecision.TimedOut, RunOutcome.TimedOut),
            RunbookStatus.Refused => (AuditDecision.Refused, RunOutcome.Refused),
            RunbookStatus.PartiallyFixed => (AuditDecision.PartiallyFixed, RunOutcome.PartiallyFixed),
            _ => (AuditDecision.Failed, RunOutcome.Failed),
        };
        _metrics.RunEnded(playbook.Id, decision.ToWireName(), ended - startedAt);
        var verdict = await _audit.DecideAsync(
            record with { Time = ended, Decision = decision, Status = result.StatusText, Duration = ended - startedAt, Reason = result.FailureMessage },
            cancellationToken);
        if (outcome is RunOutcome.Refused or RunOutcome.PartiallyFixed || escalateTimeout)
        {
            var reason = $"execution {executionId} of playbook {playbook.Id} ended {decision.ToWireName()}: {result.FailureMessage}";
            if (!await _escalator.TryEscalateAsync(settle.Version, playbook, record, reason, 1, [executionId], cancellationToken))
            {
                var deferred = await DeferEscalationAsync(record with { Time = ended }, reason, ended, cancellationToken);
                await RecordOutcomeAsync(settle, RunOutcome.HandedBack, record with { Time = ended }, result, cancellationToken);
                return deferred;
            }

            await _audit.DecideAsync(record with { Time = ended, Decision = AuditDecision.Escalated, Guard = GuardNames.Execution, Reason = reason }, cancellationToken);
        }

        await RecordOutcomeAsync(settle, outcome, record with { Time = ended }, result, cancellationToken);
        return verdict;
    }

    private async ValueTask RecordOutcomeAsync(Settlement settle, RunOutcome outcome, AuditRecord record, RunbookResult? result, CancellationToken cancellationToken)
    {
        // The decision is on the audit file before the ledger settles the claim: a crash in between leaves the claim
        // unsettled, so the run is taken over and its outcome audited, never a settled claim the audit has no outcome for.
        await _audit.FlushAsync(cancellationToken);
        var outcomeResult = await SettleInLedgerAsync(settle, outcome, record.ExecutionId, result?.CausedIds ?? [], cancellationToken);
        if (outcomeResult is not { BreakerOpened: true } opened)
        {
            return;
        }

        var (version, playbook) = (settle.Version, settle.Playbook);
        var reason = $"playbook {playbook.Id} failed {opened.ConsecutiveFailures} runs in a row; stopped until {GuardText.Time(opened.OpenUntil)}";
        var escalation = record with { Time = _timeProvider.GetUtcNow(), Decision = AuditDecision.Escalated, Guard = GuardNames.Breaker, Reason = reason, ExecutionId = null, Status = null, Duration = null };
        await _audit.DecideAsync(escalation, cancellationToken);
        await _escalator.TryEscalateAsync(version, playbook, record, reason, opened.ConsecutiveFailures, record.ExecutionId is { } id ? [id] : [], cancellationToken);
    }

    /// <summary>The ledger's part of an outcome; null when the ledger is unavailable (logged by the ledger: the run's
    /// decision stands in the audit, its lease ends by itself and the breaker misses this one outcome).</summary>
    private async ValueTask<OutcomeResult?> SettleInLedgerAsync(Settlement settle, RunOutcome outcome, string? executionId, IReadOnlyList<string> causedIds, CancellationToken cancellationToken)
    {
        try
        {
            return await _ledger.RecordOutcomeAsync(
                new OutcomeRequest(settle.Key, settle.Owner, _timeProvider.GetUtcNow(), outcome, settle.Version.Options.Breaker) { ExecutionId = executionId, CausedIds = causedIds },
                cancellationToken);
        }
        catch (LedgerUnavailableException)
        {
            return null;
        }
    }

    private void CountStart(CompiledPlaybook playbook, RunMode mode, bool takeover)
    {
        if (takeover)
        {
            _metrics.RunTakenOver(playbook.Id);
        }
        else
        {
            _metrics.RunStarted(playbook.Id, mode.ToString());
        }
    }

    /// <summary>Whose outcome is recorded: the run of (event, playbook) on a resource, by one owner.</summary>
    private sealed record Settlement(ConfigurationVersion Version, CompiledPlaybook Playbook, LedgerKey Key, string Owner);
}
