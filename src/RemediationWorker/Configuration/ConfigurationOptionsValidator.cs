using Microsoft.Extensions.Options;

namespace RemediationWorker.Configuration;

[OptionsValidator]
internal sealed partial class ConfigurationOptionsValidator : IValidateOptions<ConfigurationOptions>;
