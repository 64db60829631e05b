using Microsoft.Extensions.Configuration;

namespace RemediationWorker.Playbooks;

/// <summary>The <c>Stack</c> section: what the deployment allows at most, set by the CloudFormation stack as
/// environment variables (deploy/remediation-worker.yaml: <c>Stack__ExecutionMode</c>, <c>Stack__AllowedAccounts</c>,
/// <c>Stack__AllowedRegions</c>, <c>Stack__RunbookRoleArn</c>). The operator's file cannot widen it: the allow-lists in
/// force are the intersection of the stack's and the file's, and a playbook is live only when the stack, the file's
/// <c>Execution:Mode</c> and the playbook all say Live. Unset keys set no ceiling (a local run).</summary>
internal sealed record StackCeiling(RunMode? ExecutionMode, IReadOnlyList<string> AllowedAccounts, IReadOnlyList<string> AllowedRegions, string? RunbookRoleArn)
{
    public const string SectionName = "Stack";

    public static StackCeiling Read(IConfiguration configuration, List<string> errors)
    {
        var section = configuration.GetSection(SectionName);
        RunMode? mode = null;
        if (section["ExecutionMode"] is { Length: > 0 } text)
        {
            if (Enum.TryParse<RunMode>(text, ignoreCase: true, out var parsed))
            {
                mode = parsed;
            }
            else
            {
                errors.Add($"Stack.executionMode: \"{text}\" is not one of {string.Join(", ", Enum.GetNames<RunMode>())}");
            }
        }

        return new StackCeiling(mode, List(section["AllowedAccounts"]), List(section["AllowedRegions"]), section["RunbookRoleArn"] is { Length: > 0 } role ? role : null);
    }

    /// <summary>Narrows <paramref name="options"/> and <paramref name="mode"/> to the ceiling, and fills the runbook
    /// role a playbook leaves empty. A file list with nothing the stack allows is an error, not an empty list (which
    /// would mean "any").</summary>
    public RunMode Apply(RemediationOptions options, RunMode mode, List<string> errors)
    {
        options.AllowedAccounts = Intersect("allowedAccounts", options.AllowedAccounts, AllowedAccounts, errors);
        options.AllowedRegions = Intersect("allowedRegions", options.AllowedRegions, AllowedRegions, errors);
        if (RunbookRoleArn is not null)
        {
            foreach (var playbook in options.Playbooks.Where(p => string.IsNullOrEmpty(p.Runbook.AutomationAssumeRole)))
            {
                playbook.Runbook.AutomationAssumeRole = RunbookRoleArn;
            }
        }

        return ExecutionMode is null or RunMode.Live ? mode : RunMode.DryRun;
    }

    private static List<string> Intersect(string field, List<string> file, IReadOnlyList<string> stack, List<string> errors)
    {
        if (stack.Count == 0)
        {
            return file;
        }

        if (file.Count == 0)
        {
            return [.. stack];
        }

        var both = file.Where(v => stack.Contains(v, StringComparer.Ordinal)).ToList();
        if (both.Count == 0)
        {
            errors.Add($"Remediation.{field}: none of [{string.Join(", ", file)}] is allowed by the stack ({SectionName}:{char.ToUpperInvariant(field[0])}{field[1..]}: [{string.Join(", ", stack)}])");
        }

        return both;
    }

    /// <summary>A comma-separated value (what the template's <c>!Join</c> writes) or nothing.</summary>
    private static List<string> List(string? value)
        => value is null ? [] : [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
