using Microsoft.Extensions.Options;

namespace RemediationWorker.Intake;

/// <summary>The generated checks, plus the rules that span fields.</summary>
[OptionsValidator]
internal sealed partial class IntakeOptionsValidator : IValidateOptions<IntakeOptions>
{
    public ValidateOptionsResult ValidateCrossFields(IntakeOptions options)
    {
        var builder = new ValidateOptionsResultBuilder();
        builder.AddResult(Validate(null, options));
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
