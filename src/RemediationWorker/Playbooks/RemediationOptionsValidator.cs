using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace RemediationWorker.Playbooks;

/// <summary>Runs <see cref="RemediationConfigurationLoader"/> at host start (ValidateOnStart). It reads the
/// configuration itself rather than the bound instance: unknown fields and the pattern object are only
/// visible there. Hand-written because every message names the playbook by id, which the generated
/// validator cannot do.</summary>
internal sealed class RemediationOptionsValidator : IValidateOptions<RemediationOptions>
{
    private readonly IConfiguration _configuration;

    public RemediationOptionsValidator(IConfiguration configuration) => _configuration = configuration;

    public ValidateOptionsResult Validate(string? name, RemediationOptions options)
    {
        var result = RemediationConfigurationLoader.Load(_configuration);
        return result.IsValid ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(result.Errors);
    }
}
