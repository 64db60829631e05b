using System.Text.Json;
using EventPatterns;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RemediationWorker.Audit;
using RemediationWorker.Diagnostics;
using RemediationWorker.Escalation;
using RemediationWorker.Execution;
using RemediationWorker.Guards;
using RemediationWorker.Intake;
using RemediationWorker.Ledger;
using RemediationWorker.Playbooks;

namespace RemediationWorker.Remediation;

/// <summary>Runs one event through the decision path of design.md: shape check, match (on the raw bytes),
/// playbooks in order, resource and parameters, guards, ledger, runbook (dry-run plans), outcome. Every
/// decision is one audit record; all are flushed before the event counts as handled.</summary>
internal sealed class EventProcessor
{
    /// <summary>How long a claim on (event id, playbook id) lasts: EventBridge retries delivery for 24 h.</summary>
    public static readonly TimeSpan IdempotencyWindow = TimeSpan.FromHours(25);

    private readonly PlaybookCatalog _catalog;
    private readonly GuardPipeline _guards;
    private readonly ILedger _ledger;
    private readonly DryRunAutomationRunner _dryRun;
    private readonly IAutomationRunner? _liveRunner;
    private readonly IAuditSink _audit;
    private readonly TimeProvider _timeProvider;
    private readonly WorkerIdentity _worker;
    private readonly RunSettings _settings;
    private readonly ILogger<EventProcessor> _logger;
    private readonly IEscalationSink? _escalations;
    private readonly WorkerMetrics _metrics;

    /// <summary>Added to the playbook timeout for the lease, so tracking can record the outcome first (<see cref="LedgerOptions.LeaseMargin"/>).</summary>
    private readonly TimeSpan _leaseMargin;

    public EventProcessor(
        PlaybookCatalog catalog,
        GuardPipeline guards,
        ILedger ledger,
        DryRunAutomationRunner dryRun,
        IEnumerable<IAutomationRunner> liveRunners,
        IAuditSink audit,
        TimeProvider timeProvider,
        WorkerIdentity worker,
        RunSettings settings,
        ILogger<EventProcessor> logger,
        WorkerMetrics metrics,
        IOptions<LedgerOptions> ledgerOptions,
        IEnumerable<IEscalationSink>? escalations = null)
    {
        _escalations = escalations?.LastOrDefault();
        _catalog = catalog;
        _guards = guards;
        _ledger = ledger;
        _dryRun = dryRun;
        _liveRunner = liveRunners.LastOrDefault();
        _audit = audit;
        _timeProvider = timeProvider;
        _worker = worker;
        _settings = settings;
        _logger = logger;
        _metrics = metrics;
        _leaseMargin = ledgerOptions.Value.LeaseMargin;
    }

    /// <summary>Checks the size and the envelope of an input; cheap (one forward-only pass of the top level).</summary>
    public static InspectedInput Inspect(IncomingEvent incoming, EventLimits limits)
    {
        if (incoming.ReadError is { } readError)
        {
            return new InspectedInput(incoming, null, readError);
        }

        return EventEnvelopeParser.TryParse(incoming.Body.Span, limits, out var envelope, out var error)
            ? new InspectedInput(incoming, envelope, null)
            : new InspectedInput(incoming, null, error);
    }

    public ValueTask<EventResult> ProcessAsync(IncomingEvent incoming, CancellationToken cancellationToken)
        => ProcessAsync(Inspect(incoming, _catalog.Current.Limits), cancellationToken);

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
        var version = _catalog.Current;
        var body = input.Incoming.Body;
        var baseRecord = new AuditRecord
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
            return await RejectAsync(baseRecord, null, input.Incoming.Name, input.Error ?? "not an event", cancellationToken);
        }

        var matches = new List<int>(2);
        if (!version.Matcher.TryMatch(body.Span, matches, out var matchError))
        {
            var reason = matchError.Code == PatternErrorCode.EventTooDeep
                ? $"nested deeper than {version.MatcherOptions.MaxDepth} levels"
                : matchError.Message;
            return await RejectAsync(baseRecord, envelope, input.Incoming.Name, reason, cancellationToken);
        }

        await _audit.WriteAsync(baseRecord, cancellationToken);
        if (matches.Count == 0)
        {
            _logger.NoMatch(envelope.Id, envelope.DetailType, envelope.Source);
            _metrics.Decision(AuditDecision.NoMatch.ToWireName(), null, null);
            await _audit.WriteAsync(baseRecord with { Decision = AuditDecision.NoMatch }, cancellationToken);
            await _audit.FlushAsync(cancellationToken);
            return new EventResult(EventOutcome.Handled, envelope, [new EventVerdict(AuditDecision.NoMatch)]);
        }

        // Only matched events are parsed into a document: the rest cost one reader pass and the match.
        using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = version.MatcherOptions.MaxDepth });
        var verdicts = new List<EventVerdict>(matches.Count);
        foreach (var index in matches)
        {
            var playbook = version.Playbooks[index];
            var verdict = await HandlePlaybookAsync(version, playbook, envelope, document.RootElement, baseRecord, cancellationToken);
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

    private async ValueTask<EventResult> RejectAsync(AuditRecord baseRecord, EventEnvelope? envelope, string inputName, string reason, CancellationToken cancellationToken)
    {
        _logger.InputRejected(inputName, reason);
        _metrics.Decision(AuditDecision.Rejected.ToWireName(), null, null);
        await _audit.WriteAsync(baseRecord with { Decision = AuditDecision.Rejected, Reason = reason, Input = inputName }, cancellationToken);
        await _audit.FlushAsync(cancellationToken);
        return new EventResult(EventOutcome.Rejected, envelope, [new EventVerdict(AuditDecision.Rejected, Reason: reason)]);
    }

    private async ValueTask<EventVerdict> HandlePlaybookAsync(
        ConfigurationVersion version, CompiledPlaybook playbook, EventEnvelope envelope, JsonElement root, AuditRecord baseRecord, CancellationToken cancellationToken)
    {
        var now = _timeProvider.GetUtcNow();
        var record = baseRecord with { Time = now, Playbook = playbook.Id };
        _metrics.EventMatched(playbook.Id);

        if (!playbook.Resource.TryRender(root, out var resource, out var resourceError))
        {
            await WriteAsync(record with { Decision = AuditDecision.Matched }, cancellationToken);
            return await SkipAsync(record, GuardNames.Resource, resourceError, cancellationToken);
        }

        record = record with { Resource = resource };
        await WriteAsync(record with { Decision = AuditDecision.Matched }, cancellationToken);

        var parameters = new Dictionary<string, string>(playbook.Parameters.Count + 1, StringComparer.Ordinal)
        {
            // The documents take their role as a parameter (assumeRole: '{{ AutomationAssumeRole }}').
            [PlaybookValidator.AutomationAssumeRoleParameter] = playbook.Options.Runbook.AutomationAssumeRole,
        };
        foreach (var parameter in playbook.Parameters)
        {
            if (!parameter.TryRender(root, out var value, out var parameterError))
            {
                return await SkipAsync(record, GuardNames.Parameters, $"parameter {parameter.Name}: {parameterError}", cancellationToken);
            }

            parameters[parameter.Name] = value;
        }

        try
        {
            return await GuardAndRunAsync(version, playbook, envelope, new LedgerKey(envelope.Id, playbook.Id, resource), parameters, record, now, cancellationToken);
        }
        catch (LedgerUnavailableException ex)
        {
            // Without the ledger no guard can answer: nothing starts, and the event is neither dropped nor decided.
            return await DeferAsync(record, GuardNames.Ledger, $"the ledger is unavailable, nothing was started; the event waits for redelivery ({ex.Message})", cancellationToken);
        }
    }

    /// <summary>The guards on the ledger's state, the ledger's atomic start, then the run.</summary>
    private async ValueTask<EventVerdict> GuardAndRunAsync(
        ConfigurationVersion version, CompiledPlaybook playbook, EventEnvelope envelope, LedgerKey key, Dictionary<string, string> parameters, AuditRecord record, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var resource = key.Resource;
        var limits = playbook.Options.Limits;
        var snapshot = await _ledger.ReadAsync(key, now, cancellationToken);
        var verdict = _guards.Evaluate(new GuardContext(version, playbook, envelope, resource, now, snapshot) { Parameters = parameters });
        if (verdict.Outcome == GuardOutcome.Escalated)
        {
            var until = snapshot.Attempts.WindowEnds(limits.AttemptWindow) ?? now;
            if (!await _ledger.TryMarkEscalatedAsync(key, now, until, cancellationToken))
            {
                return await SkipAsync(record, verdict.Guard!, $"{verdict.Reason} (already escalated)", cancellationToken);
            }

            var escalated = await DecideAsync(record with { Decision = AuditDecision.Escalated, Guard = verdict.Guard, Reason = verdict.Reason }, cancellationToken);
            await EscalateAsync(version, playbook, record, verdict.Reason!, snapshot.Attempts.AttemptsAt(now, limits.AttemptWindow), [], cancellationToken);
            return escalated;
        }

        if (verdict.Outcome == GuardOutcome.Deferred)
        {
            return await DeferAsync(record, verdict.Guard!, verdict.Reason!, cancellationToken);
        }

        var takeover = verdict.Outcome == GuardOutcome.TakeOver;
        if (!verdict.IsAllowed && !takeover)
        {
            return await SkipAsync(record, verdict.Guard!, verdict.Reason!, cancellationToken);
        }

        var mode = _settings.DryRunOnly ? RunMode.DryRun : version.EffectiveMode(playbook);
        var runner = mode == RunMode.DryRun ? _dryRun : _liveRunner;
        if (runner is null)
        {
            return await SkipAsync(record, GuardNames.Execution, "mode Live but this build has no automation runner", cancellationToken);
        }

        var owner = $"{_worker.Id}:{envelope.Id}";
        var leaseUntil = now + limits.Timeout + _leaseMargin;
        if (takeover)
        {
            // The same run, not a new one: no attempt, no start in the minute; the runner's start with the same
            // ClientToken finds the execution the dead replica started (or starts it, if it never got that far).
            // While the breaker is half-open, the run is its trial: the takeover renews the trial's mark.
            var takeoverConflict = await _ledger.TryTakeOverAsync(
                new TakeoverRequest(key, owner, now, leaseUntil, version.Options.Limits) { MarkTrial = snapshot.Breaker.IsHalfOpenAt(now) },
                cancellationToken);
            if (takeoverConflict != StartConflict.None)
            {
                return takeoverConflict == StartConflict.AlreadyClaimed
                    ? await SkipAsync(record, GuardNames.Duplicate, $"event {envelope.Id} was already handled by playbook {playbook.Id} (its run finished before the takeover)", cancellationToken)
                    : await DeferAsync(record, GuardOf(takeoverConflict), $"the takeover of the run found another handler first ({takeoverConflict}); the event waits for redelivery", cancellationToken);
            }

            _logger.RunTakenOver(playbook.Id, envelope.Id, resource, snapshot.Claim!.Owner, snapshot.Claim.RunningUntil);
            record = record with { Reason = verdict.Reason };
        }
        else
        {
            var conflict = await _ledger.TryStartAsync(
                new StartRequest(key, owner, now, leaseUntil, now + IdempotencyWindow, limits, version.Options.Limits) { SeenAttempts = snapshot.Attempts },
                cancellationToken);
            if (conflict == StartConflict.RunInProgress)
            {
                return await DeferAsync(record, GuardNames.Duplicate, $"another handler claimed event {envelope.Id} first and its run is in progress; the event waits for redelivery", cancellationToken);
            }

            if (conflict != StartConflict.None)
            {
                return await SkipAsync(record, GuardOf(conflict), $"another handler got there first ({conflict})", cancellationToken);
            }
        }

        var runbook = playbook.Options.Runbook;
        var plan = new RunbookPlan(envelope.Id, playbook.Id, resource, runbook.DocumentName, runbook.DocumentVersion, runbook.AutomationAssumeRole, parameters);
        record = record with
        {
            Mode = mode.ToString(),
            DocumentName = plan.DocumentName,
            DocumentVersion = plan.DocumentVersion,
            Parameters = parameters,
        };
        return await RunAsync(version, playbook, plan, runner, key, owner, takeover, record, cancellationToken);
    }

    /// <summary>Starts (or, after a takeover, finds) the run and tracks it to its end. A run handed back unfinished:
    /// a run this owner started gives back its claim and attempt (<see cref="RunOutcome.NotStarted"/>), a run it
    /// took over ends its claim's lease (<see cref="RunOutcome.HandedBack"/>; the original start's attempt stays
    /// spent). A takeover's reason is in <paramref name="record"/> and goes into its <c>started</c> (or
    /// <c>planned</c>) record; it counts as taken over, not as started.</summary>
    private async ValueTask<EventVerdict> RunAsync(
        ConfigurationVersion version, CompiledPlaybook playbook, RunbookPlan plan, IAutomationRunner runner, LedgerKey key, string owner, bool takeover, AuditRecord record, CancellationToken cancellationToken)
    {
        var handBack = takeover ? RunOutcome.HandedBack : RunOutcome.NotStarted;
        var startedAt = _timeProvider.GetUtcNow();
        RunbookStart start;
        try
        {
            start = await runner.StartAsync(plan, cancellationToken);
        }
        catch (AutomationStartDeferredException ex)
        {
            // Not started for a reason that passes (throttling, 5xx, the automation queue full): release the claim
            // and let the intake hand the event back for redelivery; the ClientToken keeps a later start single.
            _logger.AutomationFailed(ex, plan.DocumentName, playbook.Id, plan.EventId);
            await RecordOutcomeAsync(version, playbook, key, owner, handBack, record, CancellationToken.None);
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown before SSM answered (the start waiting for the rate limit or a retry): hand the run back as the
            // tracking below does, so the redelivery starts it (or finds it by the same ClientToken) at once instead
            // of finding a claim with no run until its lease ends.
            await RecordOutcomeAsync(version, playbook, key, owner, handBack, record, CancellationToken.None);
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.AutomationFailed(ex, plan.DocumentName, playbook.Id, plan.EventId);
            _metrics.RunEnded(playbook.Id, AuditDecision.Failed.ToWireName(), null);
            var failed = await DecideAsync(record with { Time = _timeProvider.GetUtcNow(), Decision = AuditDecision.Failed, Reason = $"the runbook could not be started: {ex.Message}" }, cancellationToken);
            await RecordOutcomeAsync(version, playbook, key, owner, RunOutcome.Failed, record, cancellationToken);
            return failed;
        }

        if (start.Planned)
        {
            _logger.RunbookPlanned(plan.DocumentName, playbook.Id, plan.Resource, plan.EventId);
            CountStart(playbook, RunMode.DryRun, takeover);
            _metrics.RunEnded(playbook.Id, AuditDecision.Planned.ToWireName(), null);
            const string Planned = "dry-run: the runbook was planned, not started";
            var planned = await DecideAsync(record with { Decision = AuditDecision.Planned, Reason = record.Reason is { } tookOver ? $"{Planned}; {tookOver}" : Planned }, cancellationToken);
            await RecordOutcomeAsync(version, playbook, key, owner, RunOutcome.Planned, record, cancellationToken);
            return planned;
        }

        var executionId = start.ExecutionId!;
        CountStart(playbook, RunMode.Live, takeover);
        record = record with { ExecutionId = executionId };
        await WriteAsync(record with { Decision = AuditDecision.Started, Time = startedAt }, cancellationToken);
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
                await RecordOutcomeAsync(version, playbook, key, owner, handBack, record, CancellationToken.None);
                throw;
            }
        }

        var ended = _timeProvider.GetUtcNow();
        _logger.AutomationFinished(executionId, playbook.Id, result.StatusText, ended - startedAt);
        var (decision, outcome) = result.Status switch
        {
            RunbookStatus.Succeeded => (AuditDecision.Succeeded, RunOutcome.Succeeded),
            RunbookStatus.TimedOut => (AuditDecision.TimedOut, RunOutcome.TimedOut),
            _ => (AuditDecision.Failed, RunOutcome.Failed),
        };
        _metrics.RunEnded(playbook.Id, decision.ToWireName(), ended - startedAt);
        var verdict = await DecideAsync(
            record with { Time = ended, Decision = decision, Status = result.StatusText, Duration = ended - startedAt, Reason = result.FailureMessage },
            cancellationToken);
        if (deadline is { Escalate: true })
        {
            // Still inside its runbook's own waits (RunbookWaits): people decide; the worker does not cut it short.
            await EscalateAsync(version, playbook, record with { Time = ended }, result.FailureMessage!, 1, [executionId], cancellationToken);
        }

        await RecordOutcomeAsync(version, playbook, key, owner, outcome, record with { Time = ended }, cancellationToken);
        return verdict;
    }

    private async ValueTask RecordOutcomeAsync(
        ConfigurationVersion version, CompiledPlaybook playbook, LedgerKey key, string owner, RunOutcome outcome, AuditRecord record, CancellationToken cancellationToken)
    {
        // The decision is on the audit file before the ledger settles the claim: a crash in between leaves the claim
        // unsettled, so the run is taken over and its outcome audited, never a settled claim the audit has no outcome for.
        await _audit.FlushAsync(cancellationToken);
        var now = _timeProvider.GetUtcNow();
        OutcomeResult result;
        try
        {
            result = await _ledger.RecordOutcomeAsync(new OutcomeRequest(key, owner, now, outcome, version.Options.Breaker), cancellationToken);
        }
        catch (LedgerUnavailableException)
        {
            // Logged by the ledger. The run's decision stands in the audit; its lease ends by itself and the
            // breaker misses this one outcome. A redelivery would only be skipped as a duplicate.
            return;
        }

        if (result.BreakerOpened)
        {
            await DecideAsync(
                record with
                {
                    Time = now,
                    Decision = AuditDecision.Escalated,
                    Guard = GuardNames.Breaker,
                    Reason = $"playbook {playbook.Id} failed {result.ConsecutiveFailures} runs in a row; stopped until {GuardText.Time(result.OpenUntil)}",
                    ExecutionId = null,
                    Status = null,
                    Duration = null,
                },
                cancellationToken);
            await EscalateAsync(
                version,
                playbook,
                record,
                $"playbook {playbook.Id} failed {result.ConsecutiveFailures} runs in a row; stopped until {GuardText.Time(result.OpenUntil)}",
                result.ConsecutiveFailures,
                record.ExecutionId is { } id ? [id] : [],
                cancellationToken);
        }
    }

    /// <summary>Opens an OpsItem (live runs only; the audit record is written first and stands either way).</summary>
    private async ValueTask EscalateAsync(
        ConfigurationVersion version, CompiledPlaybook playbook, AuditRecord record, string reason, int attempts, IReadOnlyList<string> executionIds, CancellationToken cancellationToken)
    {
        var options = playbook.Options.Escalation;
        if (_escalations is null || !options.Enabled || _settings.DryRunOnly || version.EffectiveMode(playbook) != RunMode.Live)
        {
            return;
        }

        var summary = JsonSerializer.Serialize(new Dictionary<string, string?>
        {
            ["id"] = record.EventId,
            ["source"] = record.Source,
            ["detail-type"] = record.DetailType,
            ["account"] = record.Account,
            ["region"] = record.Region,
            ["resource"] = record.Resource,
        });
        try
        {
            await _escalations.EscalateAsync(
                new EscalationRequest(record.EventId ?? "-", record.Source ?? "-", record.DetailType ?? "-", playbook.Id, record.Resource ?? "-", reason, attempts, executionIds, options.Severity, options.Category, summary),
                cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.OpsItemFailed(ex, playbook.Id, record.Resource ?? "-");
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

    private ValueTask<EventVerdict> SkipAsync(AuditRecord record, string guard, string reason, CancellationToken cancellationToken)
        => DecideAsync(record with { Decision = AuditDecision.Skipped, Guard = guard, Reason = reason }, cancellationToken);

    /// <summary>Not decided now: nothing was started and the intake hands the message back for redelivery.</summary>
    private ValueTask<EventVerdict> DeferAsync(AuditRecord record, string guard, string reason, CancellationToken cancellationToken)
    {
        _logger.EventDeferred(record.EventId ?? "-", record.Playbook ?? "-", record.Resource ?? "-", reason);
        return DecideAsync(record with { Decision = AuditDecision.Deferred, Guard = guard, Reason = reason }, cancellationToken);
    }

    /// <summary>Writes a final decision for a playbook and logs it.</summary>
    private async ValueTask<EventVerdict> DecideAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        var decision = record.Decision.ToWireName();
        _logger.Decision(decision, record.EventId, record.Playbook, record.Resource, record.Guard ?? "-", record.Reason);
        _metrics.Decision(decision, record.Guard, record.Playbook);
        await _audit.WriteAsync(record, cancellationToken);
        return new EventVerdict(record.Decision, record.Playbook, record.Resource, record.Guard, record.Reason);
    }

    private ValueTask WriteAsync(AuditRecord record, CancellationToken cancellationToken) => _audit.WriteAsync(record, cancellationToken);

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
}
