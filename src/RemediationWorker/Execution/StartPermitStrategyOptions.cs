using Polly;

namespace RemediationWorker.Execution;

/// <summary>Names the <see cref="StartPermitStrategy"/> in the pipeline (Polly's telemetry); it has no settings of
/// its own: the rate is <see cref="SsmAutomationOptions"/>'.</summary>
internal sealed class StartPermitStrategyOptions : ResilienceStrategyOptions
{
    public StartPermitStrategyOptions() => Name = "StartPermit";
}
