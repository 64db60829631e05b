using Amazon.SQS;

namespace RemediationWorker.Intake;

/// <summary>The queue the intake reads, through its client, and where rejected messages go (none: the redrive policy).</summary>
internal sealed record SqsQueue(IAmazonSQS Sqs, string Url, string? DeadLetterUrl);
