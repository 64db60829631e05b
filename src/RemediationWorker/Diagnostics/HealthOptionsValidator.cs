using Microsoft.Extensions.Options;

namespace RemediationWorker.Diagnostics;

/// <summary>The generated checks of the annotated <see cref="HealthOptions"/> members.</summary>
[OptionsValidator]
internal sealed partial class HealthOptionsValidator : IValidateOptions<HealthOptions>;
