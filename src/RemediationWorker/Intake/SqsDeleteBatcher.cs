using System.Threading.Channels;
using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.Logging;
using Polly;
using RemediationWorker.Diagnostics;

namespace RemediationWorker.Intake;

/// <summary>Deletes handled messages in batches of up to 10 (one request per ten messages under load), waiting at
/// most a short window to fill a batch, and checks every entry of <c>Failed</c> even on HTTP 200 (the SQS API reference, DeleteMessageBatch).
/// A delete that fails leaves the message to be redelivered; the ClientToken and the ledger keep that harmless.</summary>
internal sealed class SqsDeleteBatcher
{
    private readonly Channel<(string Id, string ReceiptHandle)> _pending = Channel.CreateUnbounded<(string, string)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IAmazonSQS _sqs;
    private readonly string _queueUrl;
    private readonly TimeSpan _window;
    private readonly ResiliencePipeline _pipeline;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public SqsDeleteBatcher(IAmazonSQS sqs, string queueUrl, TimeSpan window, ResiliencePipeline pipeline, TimeProvider time, ILogger logger)
    {
        _sqs = sqs;
        _queueUrl = queueUrl;
        _window = window;
        _pipeline = pipeline;
        _time = time;
        _logger = logger;
    }

    public void Enqueue(Message message) => _pending.Writer.TryWrite((message.MessageId, message.ReceiptHandle));

    /// <summary>No more deletes will come; <see cref="RunAsync"/> sends what is left and ends.</summary>
    public void Complete() => _pending.Writer.TryComplete();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var reader = _pending.Reader;
        var batch = new List<(string Id, string ReceiptHandle)>(10);
        while (await reader.WaitToReadAsync(cancellationToken))
        {
            var deadline = _time.GetUtcNow() + _window;
            while (batch.Count < 10)
            {
                if (reader.TryRead(out var item))
                {
                    batch.Add(item);
                    continue;
                }

                var left = deadline - _time.GetUtcNow();
                if (left <= TimeSpan.Zero || reader.Completion.IsCompleted)
                {
                    break;
                }

                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                wait.CancelAfter(left);
                try
                {
                    if (!await reader.WaitToReadAsync(wait.Token))
                    {
                        break;
                    }
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    break; // the window closed
                }
            }

            await DeleteAsync(batch, cancellationToken);
            batch.Clear();
        }
    }

    private async Task DeleteAsync(List<(string Id, string ReceiptHandle)> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        var request = new DeleteMessageBatchRequest
        {
            QueueUrl = _queueUrl,
            Entries = batch.Select((m, i) => new DeleteMessageBatchRequestEntry { Id = i.ToString(System.Globalization.CultureInfo.InvariantCulture), ReceiptHandle = m.ReceiptHandle }).ToList(),
        };
        try
        {
            var response = await _pipeline.ExecuteAsync(
                static async (state, token) => await state.Sqs.DeleteMessageBatchAsync(state.Request, token),
                (Sqs: _sqs, Request: request),
                cancellationToken);
            foreach (var failed in response.Failed ?? [])
            {
                var messageId = int.TryParse(failed.Id, out var index) && index < batch.Count ? batch[index].Id : failed.Id;
                _logger.SqsDeleteFailed(messageId, failed.Code ?? "-", failed.Message ?? "-");
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _logger.SqsDeleteBatchFailed(ex, _queueUrl, batch.Count);
        }
    }
}
