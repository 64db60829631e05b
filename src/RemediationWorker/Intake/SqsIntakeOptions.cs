namespace RemediationWorker.Intake;

/// <summary><c>Intake:Sqs</c>: how the queue is read (with <c>Intake:Source=Sqs</c> and <c>Intake:QueueUrl</c>).
/// Limits follow SQS (docs/ledger.md, "Deferrals and SQS limits") and the ECS stop timeout (docs/deploy.md).</summary>
internal sealed class SqsIntakeOptions
{
    /// <summary>Handlers that process messages at once (each tracks its runbook to the end).</summary>
    /// <value>The default value is 8.</value>
    public int Handlers { get; set; } = 8;

    /// <summary>Received messages waiting for a handler (the bounded channel); the poller receives no more
    /// than fit, so no message waits unheld.</summary>
    /// <value>The default value is 10 (one batch).</value>
    public int ChannelCapacity { get; set; } = 10;

    /// <summary>Receive loops running at once (each long-polls; an idle queue costs each about 3 receives a minute).</summary>
    /// <value>The default value is 1.</value>
    public int Pollers { get; set; } = 1;

    /// <summary>Long-poll wait, 1–20 seconds.</summary>
    /// <value>The default value is 20.</value>
    public int WaitTimeSeconds { get; set; } = 20;

    /// <summary>Messages per receive, 1–10.</summary>
    /// <value>The default value is 10.</value>
    public int MaxNumberOfMessages { get; set; } = 10;

    /// <summary>The visibility a received message gets, and each heartbeat renews; renewed when less than half
    /// of it is left.</summary>
    /// <value>The default value is 60 seconds.</value>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Visibility after a transient failure on the first receive; doubles with each
    /// <c>ApproximateReceiveCount</c>, up to <see cref="RetryMaxVisibility"/>.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan RetryBaseVisibility { get; set; } = TimeSpan.FromSeconds(30);

    /// <value>The default value is 15 minutes.</value>
    public TimeSpan RetryMaxVisibility { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The longest delay a deferred event is sent again with (SQS allows at most 15 minutes); a later
    /// <c>retryAt</c> is deferred again when the copy comes back.</summary>
    /// <value>The default value is 15 minutes.</value>
    public TimeSpan MaxDeferralDelay { get; set; } = SqsQueueCheck.MaxDelay;

    /// <summary>Where messages that can never succeed go; empty reads the queue's redrive policy.</summary>
    public string DeadLetterQueueUrl { get; set; } = string.Empty;

    /// <summary>After SIGTERM, how long in-flight work may still finish before it is handed back (visibility 0).
    /// Keep it below the ECS stop timeout (default 30 s, Fargate at most 120 s).</summary>
    /// <value>The default value is 20 seconds.</value>
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Deletes wait at most this long to fill a batch of 10.</summary>
    /// <value>The default value is 200 milliseconds.</value>
    public TimeSpan DeleteBatchWindow { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The pause after a failed receive, doubling while receives fail, up to 30 s.</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan ReceiveErrorDelay { get; set; } = TimeSpan.FromSeconds(1);
}
