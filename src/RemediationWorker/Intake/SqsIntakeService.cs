using System.Threading.Channels;
using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Registry;
using RemediationWorker.Audit;
using RemediationWorker.Aws;
using RemediationWorker.Diagnostics;
using RemediationWorker.Playbooks;
using RemediationWorker.Remediation;

namespace RemediationWorker.Intake;

/// <summary>The SQS intake (<c>Intake:Source=Sqs</c>), wiring its parts: <see cref="SqsIntakeOptions.Pollers"/>
/// pollers (<see cref="SqsPoller"/>, default one) fill a bounded channel read by the <see cref="EventPump{TWork}"/>'s
/// <see cref="SqsIntakeOptions.Handlers"/> handlers, each running one event through the <see cref="EventProcessor"/>
/// and handing its outcome to the <see cref="SqsCompleter"/> (delete, defer, back off, dead-letter). Held messages are
/// kept invisible by the <see cref="SqsVisibilityHeartbeat"/> while their runbook is tracked. At start the queue's
/// attributes are checked (<see cref="SqsQueueCheck"/>). Fatal errors (no such queue, access denied) stop the host with
/// what to fix. On SIGTERM it stops receiving, lets in-flight work finish within
/// <see cref="SqsIntakeOptions.ShutdownGrace"/>, hands back the rest (visibility 0), sends the last deletes,
/// flushes the audit and returns.</summary>
internal sealed class SqsIntakeService : BackgroundService
{
    private readonly Lazy<IAmazonSQS> _lazySqs;
    private readonly EventProcessor _processor;
    private readonly PlaybookCatalog _catalog;
    private readonly IAuditSink _audit;
    private readonly IntakeOptions _intake;
    private readonly SqsIntakeOptions _options;
    private readonly ResiliencePipeline _visibilityPipeline;
    private readonly ResiliencePipeline _deletePipeline;
    private readonly TimeProvider _time;
    private readonly Heartbeat _pollBeat;
    private readonly AuditGate _auditGate;
    private readonly TimeSpan _longestLease;
    private readonly ILogger<SqsIntakeService> _logger;

    public SqsIntakeService(
        Lazy<IAmazonSQS> sqs,
        EventProcessor processor,
        PlaybookCatalog catalog,
        IAuditSink audit,
        IOptions<IntakeOptions> intake,
        ResiliencePipelineProvider<string> pipelines,
        TimeProvider time,
        Heartbeat pollBeat,
        AuditGate auditGate,
        IOptions<Ledger.LedgerOptions> ledger,
        ILogger<SqsIntakeService> logger)
    {
        _auditGate = auditGate;
        _longestLease = SqsQueueCheck.LongestLease(catalog.Current, ledger.Value);
        _pollBeat = pollBeat;
        _lazySqs = sqs;
        _processor = processor;
        _catalog = catalog;
        _audit = audit;
        _intake = intake.Value;
        _options = intake.Value.Sqs;
        _visibilityPipeline = pipelines.GetPipeline(AwsResiliencePipelines.SqsVisibility);
        _deletePipeline = pipelines.GetPipeline(AwsResiliencePipelines.SqsDelete);
        _time = time;
        _logger = logger;
    }

    private IAmazonSQS Sqs => _lazySqs.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await _auditGate.TryAsync(_catalog.AnnounceAsync, stoppingToken); // a failure closes the gate: no receive until it passes
        var queueUrl = _intake.QueueUrl;
        var deadLetterUrl = await ResolveDeadLetterQueueAsync(queueUrl, stoppingToken);
        foreach (var problem in await CheckQueueAsync(Sqs, queueUrl, _longestLease, _options, note => _logger.SqsQueueMismatch(queueUrl, note), stoppingToken) ?? [])
        {
            _logger.SqsQueueMismatch(queueUrl, problem);
        }

        _logger.SqsIntakeStarted(queueUrl, _options.Handlers, deadLetterUrl ?? "(none: the redrive policy is the only net)");

        var queue = new SqsQueue(Sqs, queueUrl, deadLetterUrl);
        var heartbeat = new SqsVisibilityHeartbeat(Sqs, queueUrl, _options.VisibilityTimeout, _time, _logger);
        var deletes = new SqsDeleteBatcher(Sqs, queueUrl, _options.DeleteBatchWindow, _deletePipeline, _time, _logger);
        var channel = Channel.CreateBounded<SqsWork>(new BoundedChannelOptions(_options.ChannelCapacity + _options.MaxNumberOfMessages) { SingleWriter = _options.Pollers == 1 });
        using var slots = new SqsReceiveSlots(_options.Handlers + _options.ChannelCapacity);
        var completer = new SqsCompleter(queue, _options, deletes, _visibilityPipeline, _deletePipeline, _time, _logger);
        using var pump = new EventPump<SqsWork>(_processor.ProcessAsync, new PumpSide(completer, heartbeat, slots), _options.Handlers, stopWhenAuditUnavailable: false, _logger);

        var heartbeatTask = heartbeat.RunAsync(pump.InFlightCancelled);
        var deleteTask = deletes.RunAsync(CancellationToken.None);
        pump.Start(channel.Reader, stoppingToken);

        Exception? fatal = null;
        try
        {
            var poller = new SqsPoller(queue, _options, _auditGate, _pollBeat, _time, _logger);
            await Task.WhenAll(Enumerable.Range(0, _options.Pollers).Select(_ => poller.RunAsync(channel.Writer, heartbeat, slots, stoppingToken)).ToList());
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // a poller waiting out a failed receive was stopped: the same shutdown
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            fatal = ex;
        }

        channel.Writer.TryComplete();
        if (fatal is null)
        {
            _logger.SqsIntakeStopping(heartbeat.Count, _options.ShutdownGrace);
        }

        using (var grace = new CancellationTokenSource(_options.ShutdownGrace, _time))
        {
            await pump.StopAsync(grace.Token); // in-flight work may finish within the grace; what is left is handed back
        }

        deletes.Complete();
        await deleteTask;
        try
        {
            await heartbeatTask;
        }
        catch (OperationCanceledException)
        {
            // stopped
        }

        await _audit.FlushAsync(CancellationToken.None);
        if (fatal is not null)
        {
            throw fatal;
        }

        _logger.SqsIntakeStopped(queueUrl);
    }

    /// <summary>The queue's attributes against the longest lease and the retry plan (<see cref="SqsQueueCheck"/>):
    /// the mismatches, none when it fits; null with <paramref name="unreadable"/> when they cannot be read.</summary>
    public static async Task<List<string>?> CheckQueueAsync(IAmazonSQS sqs, string queueUrl, TimeSpan longestLease, SqsIntakeOptions options, Action<string> unreadable, CancellationToken cancellationToken)
    {
        try
        {
            var response = await sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = queueUrl, AttributeNames = [.. SqsQueueCheck.AttributeNames] }, cancellationToken);
            return SqsQueueCheck.Check(response.Attributes ?? [], longestLease, options, queueUrl);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            unreadable($"queue {queueUrl}: its attributes could not be read to check them ({ex.Message})");
            return null;
        }
    }

    private async Task<string?> ResolveDeadLetterQueueAsync(string queueUrl, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(_options.DeadLetterQueueUrl))
        {
            return _options.DeadLetterQueueUrl;
        }

        try
        {
            var attributes = await Sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = queueUrl, AttributeNames = ["RedrivePolicy"] }, cancellationToken);
            if (attributes.Attributes is null || !attributes.Attributes.TryGetValue("RedrivePolicy", out var policy))
            {
                return null;
            }

            using var document = System.Text.Json.JsonDocument.Parse(policy);
            var arn = document.RootElement.GetProperty("deadLetterTargetArn").GetString() ?? string.Empty;
            var parts = arn.Split(':');
            var url = await Sqs.GetQueueUrlAsync(new GetQueueUrlRequest { QueueName = parts[^1], QueueOwnerAWSAccountId = parts.Length > 4 ? parts[4] : null }, cancellationToken);
            return url.QueueUrl;
        }
        catch (Exception ex) when (AwsErrors.IsFatal(ex))
        {
            var fix = SqsPoller.FixFor(ex);
            _logger.SqsFatal(ex, queueUrl, fix);
            throw new InvalidOperationException($"SQS refuses {queueUrl}: {ex.Message}. {fix}", ex);
        }
    }

    /// <summary>The SQS side of the pump: the completer's verdicts, a hand-back at visibility 0, and letting go of a
    /// message once done (the heartbeat stops renewing it, its receive slot is free).</summary>
    private sealed class PumpSide(SqsCompleter completer, SqsVisibilityHeartbeat heartbeat, SqsReceiveSlots slots) : IEventCompleter<SqsWork>
    {
        public IncomingEvent EventOf(SqsWork work) => work.ToIncoming();

        public Task CompleteAsync(SqsWork work, EventResult result) => completer.CompleteAsync(work, result);

        public Task RetryLaterAsync(SqsWork work) => completer.RetryLaterAsync(work);

        public Task HandBackAsync(SqsWork work) => completer.ReleaseAsync(work, TimeSpan.Zero);

        public void Finished(SqsWork work)
        {
            heartbeat.Release(work);
            slots.Release();
        }
    }
}
