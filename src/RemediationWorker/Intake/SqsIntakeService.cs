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

/// <summary>The SQS intake (<c>Intake:Source=Sqs</c>): <see cref="SqsIntakeOptions.Pollers"/> pollers (default one)
/// long-poll the queue (20 s, batches of 10) into a bounded channel read by <see cref="SqsIntakeOptions.Handlers"/>
/// handlers; a poller receives only as many messages as it holds free slots (<see cref="SqsReceiveSlots"/>), so none
/// waits unheld. Held messages are kept invisible by the
/// <see cref="SqsVisibilityHeartbeat"/> while their runbook is tracked. Outcomes: handled →
/// deleted in batches once audited; transient failure → visibility back-off by <c>ApproximateReceiveCount</c>;
/// rejected → forwarded to the dead-letter queue and deleted. Fatal errors (no such queue, access denied) stop
/// the host with what to fix. On SIGTERM it stops receiving, lets in-flight work finish within
/// <see cref="SqsIntakeOptions.ShutdownGrace"/>, hands back the rest (visibility 0), sends the last deletes,
/// flushes the audit and returns.</summary>
internal sealed class SqsIntakeService : BackgroundService
{
    private const string ReasonAttribute = "remediation-rejected-reason";

    /// <summary>On a deferred event sent again: when it was first deferred (ISO-8601 UTC), carried from copy to copy.</summary>
    public const string DeferredSinceAttribute = "remediation-deferred-since";

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

    /// <summary>Visibility after a transient failure: the base doubled per earlier receive, capped.</summary>
    public static TimeSpan RetryVisibility(int receiveCount, TimeSpan baseVisibility, TimeSpan maxVisibility)
    {
        var exponent = Math.Clamp(receiveCount - 1, 0, 30);
        var seconds = Math.Min(maxVisibility.TotalSeconds, baseVisibility.TotalSeconds * Math.Pow(2, exponent));
        return TimeSpan.FromSeconds(Math.Floor(seconds));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await _auditGate.TryAsync(_catalog.AnnounceAsync, stoppingToken); // a failure closes the gate: no receive until it passes
        var queueUrl = _intake.QueueUrl;
        var deadLetterUrl = await ResolveDeadLetterQueueAsync(queueUrl, stoppingToken);
        foreach (var problem in await CheckQueueAsync(Sqs, queueUrl, _longestLease, _options, stoppingToken))
        {
            _logger.SqsQueueMismatch(queueUrl, problem);
        }

        _logger.SqsIntakeStarted(queueUrl, _options.Handlers, deadLetterUrl ?? "(none: the redrive policy is the only net)");

        using var work = new CancellationTokenSource();
        var heartbeat = new SqsVisibilityHeartbeat(Sqs, queueUrl, _options.VisibilityTimeout, _time, _logger);
        var deletes = new SqsDeleteBatcher(Sqs, queueUrl, _options.DeleteBatchWindow, _deletePipeline, _time, _logger);
        var channel = Channel.CreateBounded<SqsWork>(new BoundedChannelOptions(_options.ChannelCapacity + _options.MaxNumberOfMessages) { SingleWriter = _options.Pollers == 1 });
        using var slots = new SqsReceiveSlots(_options.Handlers + _options.ChannelCapacity);

        var heartbeatTask = heartbeat.RunAsync(work.Token);
        var deleteTask = deletes.RunAsync(CancellationToken.None);
        var context = new HandlerContext(queueUrl, deadLetterUrl, heartbeat, deletes, slots, stoppingToken, work.Token);
        var handlers = Enumerable.Range(0, _options.Handlers).Select(_ => Task.Run(() => HandleAsync(channel.Reader, context), CancellationToken.None)).ToArray();

        Exception? fatal = null;
        try
        {
            var pollers = Enumerable.Range(0, _options.Pollers).Select(_ => PollAsync(queueUrl, channel.Writer, heartbeat, slots, stoppingToken)).ToList();
            await Task.WhenAll(pollers);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            fatal = ex;
        }

        channel.Writer.TryComplete();

        // Shutdown: in-flight work may finish within the grace period; then what is left is handed back.
        var all = Task.WhenAll(handlers);
        if (fatal is null)
        {
            _logger.SqsIntakeStopping(heartbeat.Count, _options.ShutdownGrace);
        }

        using (var grace = new CancellationTokenSource(_options.ShutdownGrace, _time))
        {
            try
            {
                await all.WaitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                await work.CancelAsync();
            }
        }

        await all;
        await work.CancelAsync();
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

    private async Task PollAsync(string queueUrl, ChannelWriter<SqsWork> writer, SqsVisibilityHeartbeat heartbeat, SqsReceiveSlots slots, CancellationToken stoppingToken)
    {
        var errorDelay = _options.ReceiveErrorDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            // Receive only when a whole batch fits: under load that makes every receive a full one (a tenth of a
            // request per message) instead of many small ones as single handlers free up.
            var taken = Math.Min(_options.MaxNumberOfMessages, _options.Handlers + _options.ChannelCapacity);
            try
            {
                // Nothing is taken while the audit log cannot be written (AuditGate retries it every 5 s).
                await _auditGate.WaitUntilWritableAsync(stoppingToken);
                await slots.TakeBatchAsync(taken, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return; // shutdown
            }

            ReceiveMessageResponse response;
            try
            {
                response = await Sqs.ReceiveMessageAsync(
                    new ReceiveMessageRequest
                    {
                        QueueUrl = queueUrl,
                        MaxNumberOfMessages = taken,
                        WaitTimeSeconds = _options.WaitTimeSeconds,
                        VisibilityTimeout = (int)_options.VisibilityTimeout.TotalSeconds,
                        MessageSystemAttributeNames = ["ApproximateReceiveCount", AwsTraceHeader.AttributeName],
                        MessageAttributeNames = [DeferredSinceAttribute],
                    },
                    stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                slots.Release(taken);
                return; // a cancelled long poll is the shutdown
            }
            catch (Exception ex) when (AwsErrors.IsFatal(ex))
            {
                slots.Release(taken);
                var fix = FixFor(ex);
                _logger.SqsFatal(ex, queueUrl, fix);
                throw new InvalidOperationException($"SQS refuses {queueUrl}: {ex.Message}. {fix}", ex);
            }
            catch (Exception ex)
            {
                slots.Release(taken);
                _logger.SqsReceiveFailed(ex, queueUrl, errorDelay);
                await Task.Delay(errorDelay, _time, stoppingToken);
                errorDelay = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(30).Ticks, errorDelay.Ticks * 2));
                continue;
            }

            _pollBeat.Beat(); // a completed receive is the poll loop's progress, with or without messages (health)
            errorDelay = _options.ReceiveErrorDelay;
            var messages = response.Messages ?? [];
            if (taken > messages.Count)
            {
                slots.Release(taken - messages.Count);
            }

            var visibleAt = _time.GetUtcNow() + _options.VisibilityTimeout;
            foreach (var message in messages)
            {
                var item = new SqsWork(message, visibleAt);
                heartbeat.Hold(item);
                await writer.WriteAsync(item, CancellationToken.None); // room is guaranteed by the slots
            }
        }
    }

    private async Task HandleAsync(ChannelReader<SqsWork> reader, HandlerContext context)
    {
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            while (reader.TryRead(out var item))
            {
                try
                {
                    if (context.Stopping.IsCancellationRequested)
                    {
                        await ReleaseAsync(context, item, TimeSpan.Zero); // never started: hand it back at once
                        continue;
                    }

                    await HandleOneAsync(context, item);
                }
                catch (Exception ex)
                {
                    _logger.EventHandlingFailed(ex, item.ToIncoming().Name);
                }
                finally
                {
                    context.Heartbeat.Release(item);
                    context.Slots.Release();
                }
            }
        }
    }

    private async Task HandleOneAsync(HandlerContext context, SqsWork item)
    {
        var incoming = item.ToIncoming();
        EventResult result;
        try
        {
            result = await _processor.ProcessAsync(incoming, context.Work);
        }
        catch (OperationCanceledException) when (context.Work.IsCancellationRequested)
        {
            await ReleaseAsync(context, item, TimeSpan.Zero); // the grace period ended: another replica takes it
            return;
        }
        catch (Exception ex)
        {
            _logger.EventHandlingFailed(ex, incoming.Name);
            await ReleaseAsync(context, item, RetryVisibility(item.ReceiveCount, _options.RetryBaseVisibility, _options.RetryMaxVisibility));
            return;
        }

        switch (result.Outcome)
        {
            case EventOutcome.Handled:
                context.Deletes.Enqueue(item.Message);
                break;
            case EventOutcome.Rejected:
                await DeadLetterAsync(context, item, (result.Verdicts.Count > 0 ? result.Verdicts[0].Reason : null) ?? "rejected");
                break;
            default:
                if (result.RetryAt is { } retryAt)
                {
                    await DeferAsync(context, item, retryAt);
                }
                else
                {
                    await ReleaseAsync(context, item, RetryVisibility(item.ReceiveCount, _options.RetryBaseVisibility, _options.RetryMaxVisibility));
                }

                break;
        }
    }

    /// <summary>A deferred event is sent again as a new message, delayed until its <c>retryAt</c> (at most 15 min;
    /// a longer wait is deferred again when it comes back), and the received one deleted: a deferral spends no
    /// receive of the redrive policy's budget, however long it lasts (docs/ledger.md). If the send fails, the
    /// message is handed back with the usual back-off instead.</summary>
    private async Task DeferAsync(HandlerContext context, SqsWork item, DateTimeOffset retryAt)
    {
        var delay = Math.Clamp((int)Math.Ceiling((retryAt - _time.GetUtcNow()).TotalSeconds), 0, (int)Math.Min(_options.MaxDeferralDelay.TotalSeconds, SqsQueueCheck.MaxDelay.TotalSeconds));
        var since = item.Message.MessageAttributes is { } attributes && attributes.TryGetValue(DeferredSinceAttribute, out var value) && value.StringValue is { Length: > 0 } text
            ? text
            : _time.GetUtcNow().UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            await _deletePipeline.ExecuteAsync(
                static async (state, token) => await state.Sqs.SendMessageAsync(
                    new SendMessageRequest
                    {
                        QueueUrl = state.Url,
                        MessageBody = state.Item.Message.Body,
                        DelaySeconds = state.Delay,
                        MessageAttributes = new Dictionary<string, MessageAttributeValue>
                        {
                            [DeferredSinceAttribute] = new() { DataType = "String", StringValue = state.Since },
                        },
                    },
                    token),
                (Sqs: Sqs, Url: context.QueueUrl, Item: item, Delay: delay, Since: since),
                CancellationToken.None);
        }
        catch (Exception ex)
        {
            _logger.SqsDeferFailed(ex, item.Message.MessageId);
            await ReleaseAsync(context, item, RetryVisibility(item.ReceiveCount, _options.RetryBaseVisibility, _options.RetryMaxVisibility));
            return;
        }

        _logger.SqsDeferred(item.Message.MessageId, delay);
        context.Deletes.Enqueue(item.Message);
    }

    /// <summary>The queue's attributes against the longest lease and the retry plan (<see cref="SqsQueueCheck"/>);
    /// a queue that cannot be read is reported as such.</summary>
    public static async Task<List<string>> CheckQueueAsync(IAmazonSQS sqs, string queueUrl, TimeSpan longestLease, SqsIntakeOptions options, CancellationToken cancellationToken)
    {
        try
        {
            var response = await sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = queueUrl, AttributeNames = [.. SqsQueueCheck.AttributeNames] }, cancellationToken);
            return SqsQueueCheck.Check(response.Attributes ?? [], longestLease, options, queueUrl);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return [$"queue {queueUrl}: its attributes could not be read to check them ({ex.Message})"];
        }
    }

    private async Task DeadLetterAsync(HandlerContext context, SqsWork item, string reason)
    {
        if (context.DeadLetterUrl is null)
        {
            // Nowhere to forward it: leave it to the queue's redrive policy.
            await ReleaseAsync(context, item, _options.RetryMaxVisibility);
            return;
        }

        try
        {
            await _deletePipeline.ExecuteAsync(
                static async (state, token) => await state.Sqs.SendMessageAsync(
                    new SendMessageRequest
                    {
                        QueueUrl = state.Url,
                        MessageBody = string.IsNullOrEmpty(state.Item.Message.Body) ? "(empty)" : state.Item.Message.Body,
                        MessageAttributes = new Dictionary<string, MessageAttributeValue>
                        {
                            [ReasonAttribute] = new() { DataType = "String", StringValue = state.Reason.Length > 1000 ? state.Reason[..1000] : state.Reason },
                            ["remediation-source-message-id"] = new() { DataType = "String", StringValue = state.Item.Message.MessageId },
                        },
                    },
                    token),
                (Sqs: Sqs, Url: context.DeadLetterUrl, Item: item, Reason: reason),
                CancellationToken.None);
            _logger.SqsDeadLettered(item.Message.MessageId, context.DeadLetterUrl);
            context.Deletes.Enqueue(item.Message);
        }
        catch (Exception ex)
        {
            _logger.SqsDeadLetterFailed(ex, item.Message.MessageId, context.DeadLetterUrl);
            await ReleaseAsync(context, item, RetryVisibility(item.ReceiveCount, _options.RetryBaseVisibility, _options.RetryMaxVisibility));
        }
    }

    private async Task ReleaseAsync(HandlerContext context, SqsWork item, TimeSpan visibility)
    {
        try
        {
            await _visibilityPipeline.ExecuteAsync(
                static async (state, token) => await state.Sqs.ChangeMessageVisibilityAsync(
                    new ChangeMessageVisibilityRequest { QueueUrl = state.Url, ReceiptHandle = state.Handle, VisibilityTimeout = state.Seconds },
                    token),
                (Sqs: Sqs, Url: context.QueueUrl, Handle: item.Message.ReceiptHandle, Seconds: (int)visibility.TotalSeconds),
                CancellationToken.None);
            _logger.SqsReleased(item.Message.MessageId, visibility, item.ReceiveCount);
        }
        catch (Exception ex)
        {
            _logger.SqsReleaseFailed(ex, item.Message.MessageId); // it becomes visible when its timeout lapses
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
            var fix = FixFor(ex);
            _logger.SqsFatal(ex, queueUrl, fix);
            throw new InvalidOperationException($"SQS refuses {queueUrl}: {ex.Message}. {fix}", ex);
        }
    }

    private static string FixFor(Exception exception)
        => exception is QueueDoesNotExistException || exception.Message.Contains("does not exist", StringComparison.OrdinalIgnoreCase) || (exception as Amazon.Runtime.AmazonServiceException)?.ErrorCode is "AWS.SimpleQueueService.NonExistentQueue" or "QueueDoesNotExist"
            ? "Check Intake:QueueUrl and Aws:Region (the queue must exist in that account and region)."
            : "Give the task role sqs:ReceiveMessage, sqs:DeleteMessage, sqs:ChangeMessageVisibility, sqs:GetQueueAttributes and sqs:SendMessage on the queue and its dead-letter queue (and kms:Decrypt for a KMS key).";

    private sealed record HandlerContext(
        string QueueUrl,
        string? DeadLetterUrl,
        SqsVisibilityHeartbeat Heartbeat,
        SqsDeleteBatcher Deletes,
        SqsReceiveSlots Slots,
        CancellationToken Stopping,
        CancellationToken Work);
}
