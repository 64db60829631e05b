using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Registry;
using RemediationWorker.Aws;
using RemediationWorker.Diagnostics;

namespace RemediationWorker.Execution;

/// <summary>Starts runbooks in SSM Automation and tracks them. Each start attempt waits for the shared
/// <see cref="AdaptiveStartLimiter"/> (a step of the start pipeline), carries a deterministic <c>ClientToken</c> (<see cref="ClientTokens"/>) and
/// tags that name the event and playbook; retries come only from the keyed Polly pipelines
/// (<see cref="AwsResiliencePipelines"/>). Tracking polls <c>GetAutomationExecution</c> at growing, jittered
/// intervals until a terminal status (<see cref="AutomationStatuses"/>); the caller cancels at the playbook's
/// timeout and then calls <see cref="OnDeadlineAsync"/>, which stops the run only outside its runbook's own waits.</summary>
internal sealed class SsmAutomationRunner : IAutomationRunner
{
    public const string EventIdTag = "remediation:event-id";
    public const string PlaybookTag = "remediation:playbook";
    public const string ResourceTag = "remediation:resource";

    /// <summary>The tag key prefix that carries the ClientToken, so a start can be found again by
    /// <c>DescribeAutomationExecutions</c> (filter <c>TagKey</c>).</summary>
    public const string TokenTagPrefix = "remediation:token:";

    private readonly Lazy<IAmazonSimpleSystemsManagement> _ssm;
    private readonly AdaptiveStartLimiter _limiter;
    private readonly ResiliencePipeline _start;
    private readonly ResiliencePipeline _get;
    private readonly ResiliencePipeline _stop;
    private readonly ResiliencePipeline _describe;
    private readonly SsmAutomationOptions _options;
    private readonly TimeProvider _time;
    private readonly Heartbeat _progress;
    private readonly ILogger<SsmAutomationRunner> _logger;

    public SsmAutomationRunner(
        Lazy<IAmazonSimpleSystemsManagement> ssm,
        AdaptiveStartLimiter limiter,
        ResiliencePipelineProvider<string> pipelines,
        IOptions<SsmAutomationOptions> options,
        TimeProvider time,
        Heartbeat progress,
        ILogger<SsmAutomationRunner> logger)
    {
        _progress = progress;
        _ssm = ssm;
        _limiter = limiter;
        _start = pipelines.GetPipeline(AwsResiliencePipelines.SsmStart);
        _get = pipelines.GetPipeline(AwsResiliencePipelines.SsmGet);
        _stop = pipelines.GetPipeline(AwsResiliencePipelines.SsmStop);
        _describe = pipelines.GetPipeline(AwsResiliencePipelines.SsmDescribe);
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    public async ValueTask<RunbookStart> StartAsync(RunbookPlan plan, CancellationToken cancellationToken)
    {
        var request = CreateRequest(plan);
        try
        {
            string executionId;
            try
            {
                executionId = await StartThroughPipelineAsync(request, cancellationToken);
            }
            catch (AutomationExecutionLimitExceededException)
            {
                // Not retried per message: the whole start path pauses (every start waits for its permit) and this
                // start is tried again after the pause, once.
                var pause = _limiter.OnQueueFull();
                _logger.AutomationQueueFull(pause);
                executionId = await StartThroughPipelineAsync(request, cancellationToken);
            }

            _logger.AutomationStarted(executionId, plan.DocumentName, plan.PlaybookId, plan.EventId);
            return RunbookStart.Started(executionId);
        }
        catch (IdempotentParameterMismatchException ex)
        {
            // The same (event, playbook) started before with other parameters (the playbook changed in between):
            // that run is the one to track.
            var existing = await FindByTokenAsync(request.ClientToken, cancellationToken);
            if (existing is null)
            {
                throw new InvalidOperationException($"SSM reports a start with ClientToken {request.ClientToken} but no execution carries it", ex);
            }

            _logger.AutomationFoundExisting(existing, plan.PlaybookId, plan.EventId);
            return RunbookStart.Started(existing);
        }
        catch (Exception ex) when (AwsErrors.IsTransient(ex) || ex is AutomationExecutionLimitExceededException)
        {
            throw new AutomationStartDeferredException($"SSM did not start {plan.DocumentName} ({ex.GetType().Name}: {ex.Message}); the event will be retried", ex);
        }
    }

    public async ValueTask<RunbookResult> WaitForCompletionAsync(string executionId, CancellationToken cancellationToken)
    {
        var delay = _options.PollInitialDelay;
        string? lastUnknown = null;
        while (true)
        {
            await Task.Delay(Jitter(delay), _time, cancellationToken);
            GetAutomationExecutionResponse response;
            try
            {
                response = await GetAsync(executionId, cancellationToken);
            }
            catch (AutomationExecutionNotFoundException)
            {
                return new RunbookResult(RunbookStatus.Failed, "NotFound", $"SSM has no execution {executionId}");
            }
            catch (Exception ex) when (AwsErrors.IsTransient(ex))
            {
                // The status is still unknown; keep polling (the playbook's timeout bounds the wait).
                _logger.AutomationPollFailed(ex, executionId);
                delay = Next(delay);
                continue;
            }

            // Handlers that track long runbooks hold every intake slot, so the poll loop waits: an answered status
            // poll is progress too, and keeps `health` from calling a busy worker stuck.
            _progress.Beat();
            var execution = response.AutomationExecution;
            var status = execution?.AutomationExecutionStatus?.Value;
            if (AutomationStatuses.TryGetTerminal(status, out var outcome))
            {
                var failure = outcome == RunbookStatus.Succeeded ? null : execution?.FailureMessage;
                return new RunbookResult(AutomationStatuses.Classify(outcome, failure), status!, failure)
                {
                    CausedIds = AutomationStatuses.CausedIds(execution?.Outputs),
                };
            }

            if (AutomationStatuses.IsUnknown(status) && status != lastUnknown)
            {
                lastUnknown = status;
                _logger.AutomationStatusUnknown(executionId, status ?? "(none)");
            }

            delay = Next(delay);
        }
    }

    public async ValueTask<DeadlineVerdict> OnDeadlineAsync(string executionId, bool stopAllowed, CancellationToken cancellationToken)
    {
        AutomationExecution? execution;
        try
        {
            execution = (await GetAsync(executionId, cancellationToken)).AutomationExecution;
        }
        catch (Exception ex) when (AwsErrors.IsTransient(ex) || ex is AutomationExecutionNotFoundException)
        {
            _logger.AutomationPollFailed(ex, executionId);
            return new DeadlineVerdict(Escalate: true, $"its state could not be read ({ex.GetType().Name}), so it was left running and escalated");
        }

        if (RunbookWaits.Current(execution, _time.GetUtcNow()) is { } wait)
        {
            var until = wait.Until == DateTimeOffset.MaxValue ? "no limit SSM reports" : $"its limit ends {wait.Until:yyyy-MM-ddTHH:mm:ssZ}";
            return new DeadlineVerdict(Escalate: true, $"step {wait.Step} is still inside the runbook's own wait ({until}), so it was left running and escalated, not stopped");
        }

        if (!stopAllowed)
        {
            return new DeadlineVerdict(Escalate: false, "left running");
        }

        await StopAsync(executionId, cancellationToken);
        return new DeadlineVerdict(Escalate: false, "stopped");
    }

    public async ValueTask StopAsync(string executionId, CancellationToken cancellationToken)
    {
        try
        {
            await _stop.ExecuteAsync(
                static async (state, token) => await state.Ssm.StopAutomationExecutionAsync(
                    new StopAutomationExecutionRequest { AutomationExecutionId = state.Id, Type = StopType.Cancel }, token),
                (Ssm: _ssm.Value, Id: executionId),
                cancellationToken);
            _logger.AutomationStopped(executionId);
        }
        catch (Exception ex) when (ex is InvalidAutomationStatusUpdateException or AutomationExecutionNotFoundException)
        {
            _logger.AutomationStopFailed(ex, executionId); // already ended, or gone
        }
    }

    private async Task<GetAutomationExecutionResponse> GetAsync(string executionId, CancellationToken cancellationToken)
        => await _get.ExecuteAsync(
            static async (state, token) => await state.Ssm.GetAutomationExecutionAsync(new GetAutomationExecutionRequest { AutomationExecutionId = state.Id }, token),
            (Ssm: _ssm.Value, Id: executionId),
            cancellationToken);

    /// <summary>The request for a plan: document, role, parameters, token and tags.</summary>
    public static StartAutomationExecutionRequest CreateRequest(RunbookPlan plan)
    {
        var parameters = plan.Parameters.ToDictionary(p => p.Key, p => new List<string> { p.Value }, StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(plan.AutomationAssumeRole) && !parameters.ContainsKey("AutomationAssumeRole"))
        {
            parameters["AutomationAssumeRole"] = [plan.AutomationAssumeRole];
        }

        var token = ClientTokens.For(plan.EventId, plan.PlaybookId);
        return new StartAutomationExecutionRequest
        {
            DocumentName = plan.DocumentName,
            DocumentVersion = string.IsNullOrEmpty(plan.DocumentVersion) ? null : plan.DocumentVersion,
            Parameters = parameters,
            ClientToken = token,
            Tags =
            [
                new Tag { Key = EventIdTag, Value = TagValue(plan.EventId) },
                new Tag { Key = PlaybookTag, Value = TagValue(plan.PlaybookId) },
                new Tag { Key = ResourceTag, Value = TagValue(plan.Resource) },
                new Tag { Key = TokenTagPrefix + token, Value = "1" },
            ],
        };
    }

    /// <summary>One start through the keyed pipeline, whose every attempt first waits for a permit of the shared
    /// start rate (<see cref="StartPermitStrategy"/>).</summary>
    private async Task<string> StartThroughPipelineAsync(StartAutomationExecutionRequest request, CancellationToken cancellationToken)
        => await _start.ExecuteAsync(
            static async (state, token) => await state.Runner.StartOnceAsync(state.Request, token),
            (Runner: this, Request: request),
            cancellationToken);

    private async Task<string> StartOnceAsync(StartAutomationExecutionRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _ssm.Value.StartAutomationExecutionAsync(request, cancellationToken);
            _limiter.OnSuccess();
            return response.AutomationExecutionId;
        }
        catch (Exception ex) when (AwsErrors.IsThrottling(ex))
        {
            _limiter.OnThrottled();
            throw;
        }
    }

    private async Task<string?> FindByTokenAsync(string clientToken, CancellationToken cancellationToken)
    {
        var response = await _describe.ExecuteAsync(
            static async (state, token) => await state.Ssm.DescribeAutomationExecutionsAsync(
                new DescribeAutomationExecutionsRequest
                {
                    Filters = [new AutomationExecutionFilter { Key = AutomationExecutionFilterKey.TagKey, Values = [TokenTagPrefix + state.ClientToken] }],
                },
                token),
            (Ssm: _ssm.Value, ClientToken: clientToken),
            cancellationToken);
        return response.AutomationExecutionMetadataList?.FirstOrDefault()?.AutomationExecutionId;
    }

    private TimeSpan Next(TimeSpan delay)
        => TimeSpan.FromTicks(Math.Min(_options.PollMaxDelay.Ticks, (long)(delay.Ticks * _options.PollMultiplier)));

    private TimeSpan Jitter(TimeSpan delay)
    {
        var spread = _options.PollJitter * ((Random.Shared.NextDouble() * 2) - 1);
        return TimeSpan.FromTicks(Math.Max(1, (long)(delay.Ticks * (1 + spread))));
    }

    private static string TagValue(string value) => value.Length <= 256 ? value : value[..256];
}
