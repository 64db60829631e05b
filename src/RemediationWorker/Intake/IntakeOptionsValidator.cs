using Microsoft.Extensions.Options;

namespace RemediationWorker.Intake;

/// <summary>The generated checks of the annotated <see cref="IntakeOptions"/> members.</summary>
[OptionsValidator]
internal sealed partial class IntakeOptionsValidator : IValidateOptions<IntakeOptions>
{
}
