using Microsoft.Extensions.Logging;
using RemediationWorker.Audit;
using RemediationWorker.Diagnostics;
using RemediationWorker.Execution;
using RemediationWorker.Guards;
using RemediationWorker.Intake;
using RemediationWorker.Ledger;
using RemediationWorker.Playbooks;

namespace RemediationWorker.Remediation;

/// <summary>Starts an admitted run (or, after a takeover, finds it) and tracks it to its end. A live start is
/// preceded by its intent (<c>starting</c>), durable before SSM is called; if the intent cannot be written, nothing
/// starts and the claim and attempt are given back. A run handed back unfinished settles as
/// <see cref="AdmittedRun.HandBack"/>. A takeover's reason is in the record and goes into its <c>started</c> (or
/// <c>planned</c>) record; it counts as taken over, not as started.</summary>
internal sealed class RunTracker
{
    private readonly DryRunAutomationRunner _dryRun;
    private readonly IAutomationRunner? _liveRunner;
    private readonly RunSettings _settings;
    private readonly AuditTrail _audit;
    private readonly RunSettler _settler;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<RunTracker> _logger;
    private readonly WorkerMetrics _metrics;

    public RunTracker(
        DryRunAutomationRunner dryRun,
        IEnumerable<IAutomationRunner> liveRunners,
        RunSettings settings,
        AuditTrail audit,
        RunSettler settler,
        TimeProvider timeProvider,
        ILogger<RunTracker> logger,
        WorkerMetrics metrics)
    {
        _dryRun = dryRun;
        _liveRunner = liveRunners.LastOrDefault();
        _settings = settings;
        _audit = audit;
        _settler = settler;
        _timeProvider = timeProvider;
        _logger = logger;
        _metrics = metrics;
    }

    /// <summary>The mode a run of <paramref name="playbook"/> gets: dry-run when the command allows nothing else.</summary>
    public RunMode ModeFor(ConfigurationVersion version, CompiledPlaybook playbook)
        => _settings.DryRunOnly ? RunMode.DryRun : version.EffectiveMode(playbook);

    /// <summary>False when <paramref name="mode"/> is Live and this build has no automation runner.</summary>
    public bool CanRun(RunMode mode) => mode == RunMode.DryRun || _liveRunner is not null;

    public async ValueTask<EventVerdict> RunAsync(AdmittedRun run, AuditRecord record, CancellationToken cancellationToken)
    {
        var (playbook, plan) = (run.Playbook, run.Plan);
        var runner = run.Mode == RunMode.DryRun ? _dryRun : _liveRunner!;
        if (run.Mode == RunMode.Live)
        {
            record = record with { ClientToken = ClientTokens.For(plan.EventId, plan.PlaybookId) };
            try
            {
                await _audit.WriteIntentAsync(record with { Decision = AuditDecision.Starting, Time = _timeProvider.GetUtcNow() }, cancellationToken);
            }
            catch (AuditUnavailableException)
            {
                await _settler.GiveBackAsync(run);
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
            await _settler.RecordOutcomeAsync(run, run.HandBack, record, null, cancellationToken);
            return deferred;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown before SSM answered (the start waiting for the rate limit or a retry): hand the run back as the
            // tracking below does, so the redelivery starts it (or finds it by the same ClientToken) at once instead
            // of finding a claim with no run until its lease ends.
            await _settler.RecordOutcomeAsync(run, run.HandBack, record, null, CancellationToken.None);
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not AuditUnavailableException)
        {
            _logger.AutomationFailed(ex, plan.DocumentName, playbook.Id, plan.EventId);
            _metrics.RunEnded(playbook.Id, AuditDecision.Failed.ToWireName(), null);
            var failed = await _audit.DecideAsync(record with { Time = _timeProvider.GetUtcNow(), Decision = AuditDecision.Failed, Reason = $"the runbook could not be started: {ex.Message}" }, cancellationToken);
            return await _settler.RecordOutcomeAsync(run, RunOutcome.Failed, record, null, cancellationToken) ?? failed;
        }

        if (start.Planned)
        {
            _logger.RunbookPlanned(plan.DocumentName, playbook.Id, plan.Resource, plan.EventId);
            CountStart(playbook, RunMode.DryRun, run.Takeover);
            _metrics.RunEnded(playbook.Id, AuditDecision.Planned.ToWireName(), null);
            const string Planned = "dry-run: the runbook was planned, not started";
            var planned = await _audit.DecideAsync(record with { Decision = AuditDecision.Planned, Reason = record.Reason is { } tookOver ? $"{Planned}; {tookOver}" : Planned }, cancellationToken);
            await _settler.RecordOutcomeAsync(run, RunOutcome.Planned, record, null, cancellationToken);
            return planned;
        }

        CountStart(playbook, RunMode.Live, run.Takeover);
        record = record with { ExecutionId = start.ExecutionId! };
        await _audit.WriteAsync(record with { Decision = AuditDecision.Started, Time = startedAt }, cancellationToken);
        await _audit.FlushAsync(cancellationToken);
        var (result, escalateTimeout) = await TrackAsync(run, runner, record, cancellationToken);
        return await _settler.SettleAsync(run, result, escalateTimeout, startedAt, record, cancellationToken);
    }

    /// <summary>Waits for the run's end until the playbook's timeout; at the deadline the runner decides whether the
    /// run is stopped or, still inside its runbook's own waits, left running and escalated.</summary>
    private async ValueTask<(RunbookResult Result, bool EscalateTimeout)> TrackAsync(AdmittedRun run, IAutomationRunner runner, AuditRecord record, CancellationToken cancellationToken)
    {
        var (limits, executionId) = (run.Playbook.Options.Limits, record.ExecutionId!);
        using var timeout = new CancellationTokenSource(limits.Timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            return (await runner.WaitForCompletionAsync(executionId, linked.Token), false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var deadline = await runner.OnDeadlineAsync(executionId, limits.StopOnTimeout, cancellationToken);
            return (new RunbookResult(RunbookStatus.TimedOut, "TimedOut", $"no terminal status within the playbook timeout {limits.Timeout}; {deadline.Reason}"), deadline.Escalate);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown: the message goes back to the queue with the run still going. Giving back the claim, the
            // attempt and the lease lets the redelivery (on any replica, with a shared ledger) take the run over:
            // the same ClientToken finds the same execution.
            await _settler.RecordOutcomeAsync(run, run.HandBack, record, null, CancellationToken.None);
            throw;
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
}
