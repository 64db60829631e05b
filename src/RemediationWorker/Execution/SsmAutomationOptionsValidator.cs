using Microsoft.Extensions.Options;

namespace RemediationWorker.Execution;

[OptionsValidator]
internal sealed partial class SsmAutomationOptionsValidator : IValidateOptions<SsmAutomationOptions>
{
}
