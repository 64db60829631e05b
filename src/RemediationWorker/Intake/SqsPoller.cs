using System.Threading.Channels;
using Amazon.SQS.Model;
using Microsoft.Extensions.Logging;
using RemediationWorker.Audit;
using RemediationWorker.Aws;
using RemediationWorker.Diagnostics;

namespace RemediationWorker.Intake;

/// <summary>One receive loop: long-polls the queue for as many messages as it holds free slots
/// (<see cref="SqsReceiveSlots"/>), so none waits unheld, and hands them to the pump's channel, kept invisible by
/// the <see cref="SqsVisibilityHeartbeat"/>. Nothing is received while the audit log cannot be written
/// (<see cref="AuditGate"/>). A failed receive is retried after a pause doubling to 30 s; a fatal one (no such
/// queue, access denied) ends the loop with what to fix.</summary>
internal sealed class SqsPoller
{
    private readonly SqsQueue _queue;
    private readonly SqsIntakeOptions _options;
    private readonly AuditGate _auditGate;
    private readonly Heartbeat _pollBeat;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public SqsPoller(SqsQueue queue, SqsIntakeOptions options, AuditGate auditGate, Heartbeat pollBeat, TimeProvider time, ILogger logger)
    {
        _queue = queue;
        _options = options;
        _auditGate = auditGate;
        _pollBeat = pollBeat;
        _time = time;
        _logger = logger;
    }

    public async Task RunAsync(ChannelWriter<SqsWork> writer, SqsVisibilityHeartbeat heartbeat, SqsReceiveSlots slots, CancellationToken stoppingToken)
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
                response = await _queue.Sqs.ReceiveMessageAsync(
                    new ReceiveMessageRequest
                    {
                        QueueUrl = _queue.Url,
                        MaxNumberOfMessages = taken,
                        WaitTimeSeconds = _options.WaitTimeSeconds,
                        VisibilityTimeout = (int)_options.VisibilityTimeout.TotalSeconds,
                        MessageSystemAttributeNames = ["ApproximateReceiveCount", AwsTraceHeader.AttributeName],
                        MessageAttributeNames = [SqsCompleter.DeferredSinceAttribute],
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
                _logger.SqsFatal(ex, _queue.Url, fix);
                throw new InvalidOperationException($"SQS refuses {_queue.Url}: {ex.Message}. {fix}", ex);
            }
            catch (Exception ex)
            {
                slots.Release(taken);
                _logger.SqsReceiveFailed(ex, _queue.Url, errorDelay);
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

    public static string FixFor(Exception exception)
        => exception is QueueDoesNotExistException || exception.Message.Contains("does not exist", StringComparison.OrdinalIgnoreCase) || (exception as Amazon.Runtime.AmazonServiceException)?.ErrorCode is "AWS.SimpleQueueService.NonExistentQueue" or "QueueDoesNotExist"
            ? "Check Intake:QueueUrl and Aws:Region (the queue must exist in that account and region)."
            : "Give the task role sqs:ReceiveMessage, sqs:DeleteMessage, sqs:ChangeMessageVisibility, sqs:GetQueueAttributes and sqs:SendMessage on the queue and its dead-letter queue (and kms:Decrypt for a KMS key).";
}
