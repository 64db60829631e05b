using Microsoft.Extensions.Options;

namespace RemediationWorker.Ledger;

/// <summary>The generated checks of the annotated <see cref="LedgerOptions"/> members.</summary>
[OptionsValidator]
internal sealed partial class LedgerOptionsValidator : IValidateOptions<LedgerOptions>
{
}
