namespace RemediationWorker.Intake;

/// <summary><c>Intake:Source</c>: where <c>run</c> reads events.</summary>
internal enum IntakeSource
{
    /// <summary>A directory of event files (<c>Intake:Local:Path</c>).</summary>
    Local,

    /// <summary>An SQS queue (<c>Intake:QueueUrl</c>); comes with the AWS adapters.</summary>
    Sqs,
}
