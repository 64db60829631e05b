using System.Text.Json;

namespace RemediationWorker.Playbooks;

/// <summary>A matched playbook applied to one event: its resource and its runbook parameters rendered from the
/// event's fields and checked, or which of them failed (the guard name and reason of a <c>skipped</c> record).</summary>
internal sealed record RenderedPlaybook(string? Resource, Dictionary<string, string>? Parameters, string? FailedCheck, string? Failure)
{
    /// <summary>The check that failed to render the resource (audit guard <c>resource</c>).</summary>
    public const string ResourceCheck = "resource";

    /// <summary>The check that failed to render a parameter (audit guard <c>parameters</c>).</summary>
    public const string ParametersCheck = "parameters";

    public bool IsRendered => Failure is null;

    public static RenderedPlaybook Render(CompiledPlaybook playbook, JsonElement root)
    {
        if (!playbook.Resource.TryRender(root, out var resource, out var resourceError))
        {
            return new RenderedPlaybook(null, null, ResourceCheck, resourceError);
        }

        var parameters = new Dictionary<string, string>(playbook.Parameters.Count + 1, StringComparer.Ordinal)
        {
            // The documents take their role as a parameter (assumeRole: '{{ AutomationAssumeRole }}').
            [PlaybookValidator.AutomationAssumeRoleParameter] = playbook.Options.Runbook.AutomationAssumeRole,
        };
        foreach (var parameter in playbook.Parameters)
        {
            if (!parameter.TryRender(root, out var value, out var parameterError))
            {
                return new RenderedPlaybook(resource, null, ParametersCheck, $"parameter {parameter.Name}: {parameterError}");
            }

            parameters[parameter.Name] = value;
        }

        return new RenderedPlaybook(resource, parameters, null, null);
    }
}
