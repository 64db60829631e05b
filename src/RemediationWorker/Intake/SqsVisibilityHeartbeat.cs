using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.Logging;
using RemediationWorker.Diagnostics;

namespace RemediationWorker.Intake;

/// <summary>Keeps the messages this worker holds invisible for as long as they are in work (their runbook is
/// tracked): every tick it renews, in batches of 10, those with less than half the visibility timeout left,
/// and drops the entries SQS refuses (the receipt is no longer ours).</summary>
internal sealed class SqsVisibilityHeartbeat
{
    private readonly Lock _lock = new();
    private readonly HashSet<SqsWork> _held = [];
    private readonly IAmazonSQS _sqs;
    private readonly string _queueUrl;
    private readonly TimeSpan _visibility;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public SqsVisibilityHeartbeat(IAmazonSQS sqs, string queueUrl, TimeSpan visibility, TimeProvider time, ILogger logger)
    {
        _sqs = sqs;
        _queueUrl = queueUrl;
        _visibility = visibility;
        _time = time;
        _logger = logger;
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _held.Count;
            }
        }
    }

    public void Hold(SqsWork work)
    {
        lock (_lock)
        {
            _held.Add(work);
        }
    }

    public void Release(SqsWork work)
    {
        lock (_lock)
        {
            _held.Remove(work);
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var tick = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond * 100, _visibility.Ticks / 6));
        using var timer = new PeriodicTimer(tick, _time);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            await RenewDueAsync(cancellationToken);
        }
    }

    /// <summary>Renews every held message with less than half its visibility left.</summary>
    public async Task RenewDueAsync(CancellationToken cancellationToken)
    {
        List<SqsWork> due;
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            due = _held.Where(w => w.VisibleAt - now < _visibility / 2).ToList();
        }

        foreach (var chunk in due.Chunk(10))
        {
            var request = new ChangeMessageVisibilityBatchRequest
            {
                QueueUrl = _queueUrl,
                Entries = chunk.Select((w, i) => new ChangeMessageVisibilityBatchRequestEntry
                {
                    Id = i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ReceiptHandle = w.Message.ReceiptHandle,
                    VisibilityTimeout = (int)_visibility.TotalSeconds,
                }).ToList(),
            };
            try
            {
                var response = await _sqs.ChangeMessageVisibilityBatchAsync(request, cancellationToken);
                var failed = (response.Failed ?? []).Select(f => int.TryParse(f.Id, out var i) ? i : -1).ToHashSet();
                lock (_lock)
                {
                    for (var i = 0; i < chunk.Length; i++)
                    {
                        if (!failed.Contains(i))
                        {
                            chunk[i].VisibleAt = now + _visibility;
                        }
                    }
                }

                foreach (var f in response.Failed ?? [])
                {
                    var messageId = int.TryParse(f.Id, out var i) && i < chunk.Length ? chunk[i].Message.MessageId : f.Id;
                    _logger.SqsHeartbeatFailed(messageId, f.Code ?? "-", f.Message ?? "-");
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _logger.SqsHeartbeatBatchFailed(ex, _queueUrl, chunk.Length); // tried again next tick
            }
        }
    }
}
