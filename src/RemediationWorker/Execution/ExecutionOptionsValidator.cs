using Microsoft.Extensions.Options;
using RemediationWorker.Playbooks;

namespace RemediationWorker.Execution;

/// <summary>Refuses <c>Execution:Mode=Live</c> when no live automation runner is registered: a live
/// configuration must never fall back to planning silently.</summary>
internal sealed class ExecutionOptionsValidator : IValidateOptions<ExecutionOptions>
{
    private readonly bool _hasLiveRunner;

    public ExecutionOptionsValidator(IEnumerable<IAutomationRunner> runners) => _hasLiveRunner = runners.Any();

    public ValidateOptionsResult Validate(string? name, ExecutionOptions options)
        => options.Mode == RunMode.Live && !_hasLiveRunner
            ? ValidateOptionsResult.Fail("Execution.mode: Live needs an automation runner and this build has none yet (the SSM runner comes with the AWS adapters); use DryRun")
            : ValidateOptionsResult.Success;
}
