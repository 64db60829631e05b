using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;

namespace RemediationWorker.Execution;

/// <summary>Whether an execution is still inside one of its runbook's own time limits: a step that is running or
/// waiting and whose <c>timeoutSeconds</c> × <c>maxAttempts</c> (SSM's own limit for the step) has not passed since
/// it began. Cutting such a step short would end the run before it verified anything.</summary>
internal static class RunbookWaits
{
    /// <summary>The step still inside its limit and when that limit ends (<see cref="DateTimeOffset.MaxValue"/> when
    /// SSM does not say), or null when no step is.</summary>
    public static (string Step, DateTimeOffset Until)? Current(AutomationExecution? execution, DateTimeOffset now)
    {
        foreach (var step in execution?.StepExecutions ?? [])
        {
            var status = step.StepStatus?.Value;
            if (status != AutomationExecutionStatus.InProgress.Value && status != AutomationExecutionStatus.Waiting.Value)
            {
                continue;
            }

            var until = step.ExecutionStartTime is { } started && step.TimeoutSeconds is { } timeout
                ? new DateTimeOffset(DateTime.SpecifyKind(started, DateTimeKind.Utc)) + TimeSpan.FromSeconds(timeout * Math.Max(1, step.MaxAttempts ?? 1))
                : DateTimeOffset.MaxValue;
            if (now < until)
            {
                return (step.StepName ?? "(unnamed)", until);
            }
        }

        return null;
    }
}
