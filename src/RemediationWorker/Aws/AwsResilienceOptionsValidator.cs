using Microsoft.Extensions.Options;

namespace RemediationWorker.Aws;

[OptionsValidator]
internal sealed partial class AwsResilienceOptionsValidator : IValidateOptions<AwsResilienceOptions>
{
}
