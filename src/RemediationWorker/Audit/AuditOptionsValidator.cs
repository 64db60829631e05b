using Microsoft.Extensions.Options;

namespace RemediationWorker.Audit;

[OptionsValidator]
internal sealed partial class AuditOptionsValidator : IValidateOptions<AuditOptions>;
