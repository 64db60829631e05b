using Microsoft.Extensions.Options;

namespace RemediationWorker.Intake;

/// <summary>The intake rules that span fields or depend on what this build has (style.md #3).</summary>
internal sealed class IntakeRulesValidator : IValidateOptions<IntakeOptions>
{
    public ValidateOptionsResult Validate(string? name, IntakeOptions options)
    {
        var builder = new ValidateOptionsResultBuilder();
        if (options.Source == IntakeSource.Sqs)
        {
            builder.AddError("Sqs needs the SQS intake, which this build does not have yet; use Local", "Intake.source");
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
}
