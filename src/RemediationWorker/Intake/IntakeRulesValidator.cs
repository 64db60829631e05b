using Microsoft.Extensions.Options;

namespace RemediationWorker.Intake;

/// <summary>The intake rules that span fields or depend on what this build has.</summary>
internal sealed class IntakeRulesValidator : IValidateOptions<IntakeOptions>
{
    public ValidateOptionsResult Validate(string? name, IntakeOptions options)
    {
        var builder = new ValidateOptionsResultBuilder();
        if (options.Source == IntakeSource.Sqs)
        {
            ValidateSqs(options, builder);
        }

        if (options.Source == IntakeSource.Local && string.IsNullOrWhiteSpace(options.Local.Path))
        {
            builder.AddError("is required", "Intake.local.path");
        }

        if (options.Local.PollInterval <= TimeSpan.Zero)
        {
            builder.AddError($"{options.Local.PollInterval} must be positive", "Intake.local.pollInterval");
        }

        return builder.Build();
    }

    private static void ValidateSqs(IntakeOptions options, ValidateOptionsResultBuilder builder)
    {
        var sqs = options.Sqs;
        if (!Uri.TryCreate(options.QueueUrl, UriKind.Absolute, out _))
        {
            builder.AddError("is required with Source=Sqs: the queue's URL, for example https://sqs.eu-west-1.amazonaws.com/111122223333/remediation-events", "Intake.queueUrl");
        }

        Check(builder, sqs.Handlers is >= 1 and <= 256, "Intake.sqs.handlers", $"{sqs.Handlers} must be 1–256");
        Check(builder, sqs.Pollers is >= 1 and <= 16, "Intake.sqs.pollers", $"{sqs.Pollers} must be 1–16");
        Check(builder, sqs.ChannelCapacity is >= 1 and <= 1000, "Intake.sqs.channelCapacity", $"{sqs.ChannelCapacity} must be 1–1000");
        Check(builder, sqs.WaitTimeSeconds is >= 1 and <= 20, "Intake.sqs.waitTimeSeconds", $"{sqs.WaitTimeSeconds} must be 1–20 (SQS long polling)");
        Check(builder, sqs.MaxNumberOfMessages is >= 1 and <= 10, "Intake.sqs.maxNumberOfMessages", $"{sqs.MaxNumberOfMessages} must be 1–10");
        Check(builder, sqs.VisibilityTimeout >= TimeSpan.FromSeconds(2) && sqs.VisibilityTimeout <= TimeSpan.FromHours(12), "Intake.sqs.visibilityTimeout", $"{sqs.VisibilityTimeout} must be 2 s–12 h");
        Check(builder, sqs.RetryBaseVisibility >= TimeSpan.Zero && sqs.RetryBaseVisibility <= sqs.RetryMaxVisibility, "Intake.sqs.retryBaseVisibility", "must be between 0 and retryMaxVisibility");
        Check(builder, sqs.RetryMaxVisibility <= TimeSpan.FromHours(12), "Intake.sqs.retryMaxVisibility", "must be at most 12 h (the SQS maximum)");
        Check(builder, sqs.MaxDeferralDelay >= TimeSpan.Zero && sqs.MaxDeferralDelay <= SqsQueueCheck.MaxDelay, "Intake.sqs.maxDeferralDelay", "must be between 0 and 15 min (the SQS maximum of DelaySeconds)");
        Check(builder, sqs.ShutdownGrace > TimeSpan.Zero && sqs.ShutdownGrace <= TimeSpan.FromSeconds(110), "Intake.sqs.shutdownGrace", $"{sqs.ShutdownGrace} must be positive and at most 110 s (with the 8 s after it, below the ECS stop timeout: at most 120 s on Fargate)");
        Check(builder, sqs.DeleteBatchWindow >= TimeSpan.Zero && sqs.DeleteBatchWindow < sqs.VisibilityTimeout, "Intake.sqs.deleteBatchWindow", "must be below visibilityTimeout");
        Check(builder, sqs.ReceiveErrorDelay > TimeSpan.Zero, "Intake.sqs.receiveErrorDelay", "must be positive");
    }

    private static void Check(ValidateOptionsResultBuilder builder, bool ok, string field, string message)
    {
        if (!ok)
        {
            builder.AddError(message, field);
        }
    }
}
