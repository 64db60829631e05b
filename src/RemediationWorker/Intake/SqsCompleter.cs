using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.Logging;
using Polly;
using RemediationWorker.Diagnostics;
using RemediationWorker.Remediation;

namespace RemediationWorker.Intake;

/// <summary>Acts on one handled message's outcome: handled → deleted (in batches); deferred → sent again delayed
/// until its <c>retryAt</c> and the received copy deleted (no receive spent); a transient failure → visibility
/// back-off by <c>ApproximateReceiveCount</c>; rejected → forwarded to the dead-letter queue and deleted.</summary>
internal sealed class SqsCompleter
{
    private const string ReasonAttribute = "remediation-rejected-reason";

    /// <summary>On a deferred event sent again: when it was first deferred (ISO-8601 UTC), carried from copy to copy.</summary>
    public const string DeferredSinceAttribute = "remediation-deferred-since";

    private readonly IAmazonSQS _sqs;
    private readonly string _queueUrl;
    private readonly string? _deadLetterUrl;
    private readonly SqsIntakeOptions _options;
    private readonly SqsDeleteBatcher _deletes;
    private readonly ResiliencePipeline _visibilityPipeline;
    private readonly ResiliencePipeline _deletePipeline;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public SqsCompleter(
        SqsQueue queue, SqsIntakeOptions options, SqsDeleteBatcher deletes, ResiliencePipeline visibilityPipeline, ResiliencePipeline deletePipeline, TimeProvider time, ILogger logger)
    {
        (_sqs, _queueUrl, _deadLetterUrl) = (queue.Sqs, queue.Url, queue.DeadLetterUrl);
        _options = options;
        _deletes = deletes;
        _visibilityPipeline = visibilityPipeline;
        _deletePipeline = deletePipeline;
        _time = time;
        _logger = logger;
    }

    /// <summary>Visibility after a transient failure: the base doubled per earlier receive, capped.</summary>
    public static TimeSpan RetryVisibility(int receiveCount, TimeSpan baseVisibility, TimeSpan maxVisibility)
    {
        var exponent = Math.Clamp(receiveCount - 1, 0, 30);
        var seconds = Math.Min(maxVisibility.TotalSeconds, baseVisibility.TotalSeconds * Math.Pow(2, exponent));
        return TimeSpan.FromSeconds(Math.Floor(seconds));
    }

    public async Task CompleteAsync(SqsWork item, EventResult result)
    {
        switch (result.Outcome)
        {
            case EventOutcome.Handled:
                _deletes.Enqueue(item.Message);
                break;
            case EventOutcome.Rejected:
                await DeadLetterAsync(item, (result.Verdicts.Count > 0 ? result.Verdicts[0].Reason : null) ?? "rejected");
                break;
            default:
                if (result.RetryAt is { } retryAt)
                {
                    await DeferAsync(item, retryAt);
                }
                else
                {
                    await RetryLaterAsync(item);
                }

                break;
        }
    }

    /// <summary>A transient failure: handed back with the visibility back-off.</summary>
    public Task RetryLaterAsync(SqsWork item) => ReleaseAsync(item, RetryVisibility(item.ReceiveCount, _options.RetryBaseVisibility, _options.RetryMaxVisibility));

    /// <summary>A deferred event is sent again as a new message, delayed until its <c>retryAt</c> (at most 15 min;
    /// a longer wait is deferred again when it comes back), and the received one deleted: a deferral spends no
    /// receive of the redrive policy's budget, however long it lasts (docs/ledger.md). If the send fails, the
    /// message is handed back with the usual back-off instead.</summary>
    private async Task DeferAsync(SqsWork item, DateTimeOffset retryAt)
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
                (Sqs: _sqs, Url: _queueUrl, Item: item, Delay: delay, Since: since),
                CancellationToken.None);
        }
        catch (Exception ex)
        {
            _logger.SqsDeferFailed(ex, item.Message.MessageId);
            await RetryLaterAsync(item);
            return;
        }

        _logger.SqsDeferred(item.Message.MessageId, delay);
        _deletes.Enqueue(item.Message);
    }

    private async Task DeadLetterAsync(SqsWork item, string reason)
    {
        if (_deadLetterUrl is null)
        {
            // Nowhere to forward it: leave it to the queue's redrive policy.
            await ReleaseAsync(item, _options.RetryMaxVisibility);
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
                (Sqs: _sqs, Url: _deadLetterUrl, Item: item, Reason: reason),
                CancellationToken.None);
            _logger.SqsDeadLettered(item.Message.MessageId, _deadLetterUrl);
            _deletes.Enqueue(item.Message);
        }
        catch (Exception ex)
        {
            _logger.SqsDeadLetterFailed(ex, item.Message.MessageId, _deadLetterUrl);
            await RetryLaterAsync(item);
        }
    }

    public async Task ReleaseAsync(SqsWork item, TimeSpan visibility)
    {
        try
        {
            await _visibilityPipeline.ExecuteAsync(
                static async (state, token) => await state.Sqs.ChangeMessageVisibilityAsync(
                    new ChangeMessageVisibilityRequest { QueueUrl = state.Url, ReceiptHandle = state.Handle, VisibilityTimeout = state.Seconds },
                    token),
                (Sqs: _sqs, Url: _queueUrl, Handle: item.Message.ReceiptHandle, Seconds: (int)visibility.TotalSeconds),
                CancellationToken.None);
            _logger.SqsReleased(item.Message.MessageId, visibility, item.ReceiveCount);
        }
        catch (Exception ex)
        {
            _logger.SqsReleaseFailed(ex, item.Message.MessageId); // it becomes visible when its timeout lapses
        }
    }
}
