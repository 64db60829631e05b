using System.Text.RegularExpressions;
using EventPatterns;

namespace RemediationWorker.Playbooks;

/// <summary>Checks the bound options and compiles the playbooks. Every error names the playbook and the
/// field: <c>playbooks[drift-revert].runbook.parameters.StackName.allowedPattern: is required</c>.</summary>
internal static partial class PlaybookValidator
{
    private static readonly HashSet<string> Categories = new(StringComparer.Ordinal)
    {
        "Availability", "Cost", "Performance", "Recovery", "Security",
    };

    /// <summary>Longest run a playbook may allow: the 12 h an SQS message can stay invisible while it is handled.</summary>
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromHours(12);

    /// <summary>The runbook parameter that carries <see cref="RunbookOptions.AutomationAssumeRole"/>.</summary>
    public const string AutomationAssumeRoleParameter = "AutomationAssumeRole";

    public static List<CompiledPlaybook> Validate(RemediationOptions options, List<string> errors)
    {
        ValidateGlobals(options, errors);

        var compiled = new List<CompiledPlaybook>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Playbooks.Count; i++)
        {
            var playbook = options.Playbooks[i];
            var label = $"playbooks[{(string.IsNullOrWhiteSpace(playbook.Id) ? i.ToString(System.Globalization.CultureInfo.InvariantCulture) : playbook.Id)}]";
            if (string.IsNullOrWhiteSpace(playbook.Id))
            {
                errors.Add($"{label}.id: is required");
            }
            else if (!IdRegex().IsMatch(playbook.Id))
            {
                errors.Add($"{label}.id: \"{playbook.Id}\" must be lower-case letters, digits and dashes (at most 64)");
            }
            else if (!ids.Add(playbook.Id))
            {
                errors.Add($"{label}.id: is used by an earlier playbook too");
            }

            if (!string.IsNullOrEmpty(playbook.Runbook.DocumentName) && !options.EffectiveAllowedDocuments.Contains(playbook.Runbook.DocumentName, StringComparer.Ordinal))
            {
                errors.Add($"{label}.runbook.documentName: \"{playbook.Runbook.DocumentName}\" is not in allowedDocuments ({string.Join(", ", options.EffectiveAllowedDocuments)})");
            }

            if (ValidatePlaybook(playbook, label, errors) is { } ok && playbook.Enabled)
            {
                compiled.Add(ok);
            }
        }

        return compiled;
    }

    private static void ValidateGlobals(RemediationOptions options, List<string> errors)
    {
        foreach (var account in options.AllowedAccounts.Where(a => !AccountRegex().IsMatch(a)))
        {
            errors.Add($"allowedAccounts: \"{account}\" is not a 12-digit account id");
        }

        foreach (var region in options.AllowedRegions.Where(r => !RegionRegex().IsMatch(r)))
        {
            errors.Add($"allowedRegions: \"{region}\" is not a region such as eu-west-1");
        }

        foreach (var source in options.AllowedSources.Where(string.IsNullOrWhiteSpace))
        {
            errors.Add($"allowedSources: \"{source}\" is empty");
        }

        if (options.Limits.MaxStartsPerMinute is < 1 or > 10_000)
        {
            errors.Add($"limits.maxStartsPerMinute: {options.Limits.MaxStartsPerMinute} is outside 1..10000");
        }

        if (options.Limits.MaxInFlight is < 1 or > 1_000)
        {
            errors.Add($"limits.maxInFlight: {options.Limits.MaxInFlight} is outside 1..1000 (SSM runs at most 100 automations at once per account and region, and queues 1000)");
        }

        if (options.Breaker.FailureThreshold is < 1 or > 100)
        {
            errors.Add($"breaker.failureThreshold: {options.Breaker.FailureThreshold} is outside 1..100");
        }

        if (options.Breaker.BreakDuration <= TimeSpan.Zero)
        {
            errors.Add($"breaker.breakDuration: {options.Breaker.BreakDuration} must be positive");
        }
    }

    private static CompiledPlaybook? ValidatePlaybook(PlaybookOptions playbook, string label, List<string> errors)
    {
        var before = errors.Count;

        EventPattern? pattern = null;
        if (string.IsNullOrWhiteSpace(playbook.Pattern))
        {
            errors.Add($"{label}.pattern: is required");
        }
        else if (!EventPattern.TryParse(playbook.Pattern, out pattern, out var patternError))
        {
            errors.Add($"{label}.pattern: {patternError.Message}");
        }

        var guaranteed = pattern?.GuaranteedFields;
        EventPath? resource = null;
        if (string.IsNullOrWhiteSpace(playbook.Resource))
        {
            errors.Add($"{label}.resource: is required (a path such as detail.stack-id)");
        }
        else if (!EventPath.TryParse(playbook.Resource, out resource, out var resourceError))
        {
            errors.Add($"{label}.resource: {resourceError}");
        }
        else if (guaranteed is not null && !resource.IsGuaranteedBy(guaranteed))
        {
            errors.Add($"{label}.resource: {resource} is not guaranteed by the pattern; add it to the pattern (for example {{\"exists\": true}})");
        }

        var runbook = playbook.Runbook;
        if (!DocumentNameRegex().IsMatch(runbook.DocumentName))
        {
            errors.Add($"{label}.runbook.documentName: \"{runbook.DocumentName}\" is not an SSM document name (3-128 of a-z A-Z 0-9 _ - . : /)");
        }

        if (!DocumentVersionRegex().IsMatch(runbook.DocumentVersion))
        {
            errors.Add($"{label}.runbook.documentVersion: \"{runbook.DocumentVersion}\" is not $DEFAULT, $LATEST or a version number");
        }

        if (!RoleArnRegex().IsMatch(runbook.AutomationAssumeRole))
        {
            errors.Add($"{label}.runbook.automationAssumeRole: \"{runbook.AutomationAssumeRole}\" is not an IAM role ARN");
        }

        var parameters = new List<ParameterTemplate>();
        foreach (var (name, parameter) in runbook.Parameters)
        {
            var parameterLabel = $"{label}.runbook.parameters.{name}";
            if (!ParameterNameRegex().IsMatch(name))
            {
                errors.Add($"{parameterLabel}: the name must be letters and digits");
            }
            else if (name == AutomationAssumeRoleParameter)
            {
                errors.Add($"{parameterLabel}: set the role with runbook.automationAssumeRole; it is passed as this parameter");
            }

            if (!ParameterTemplate.TryCreate(name, parameter, out var template, out var templateErrors))
            {
                errors.AddRange(templateErrors.Select(e => $"{parameterLabel}.{e}"));
                continue;
            }

            foreach (var field in template.Fields.Where(f => guaranteed is not null && !f.IsGuaranteedBy(guaranteed)))
            {
                errors.Add($"{parameterLabel}.value: {{{{{field}}}}} names a field the pattern does not guarantee; add it to the pattern (for example {{\"exists\": true}})");
            }

            parameters.Add(template);
        }

        ValidateLimits(playbook.Limits, label, errors);
        RunbookTimeBudgets.Validate(playbook, label, errors);

        if (playbook.Escalation.Severity is not ("1" or "2" or "3" or "4"))
        {
            errors.Add($"{label}.escalation.severity: \"{playbook.Escalation.Severity}\" is not 1, 2, 3 or 4");
        }

        if (!Categories.Contains(playbook.Escalation.Category))
        {
            errors.Add($"{label}.escalation.category: \"{playbook.Escalation.Category}\" is not one of {string.Join(", ", Categories)}");
        }

        if (errors.Count > before || pattern is null || resource is null)
        {
            return null;
        }

        return new CompiledPlaybook { Options = playbook, Pattern = pattern, Resource = resource, Parameters = parameters };
    }

    private static void ValidateLimits(LimitsOptions limits, string label, List<string> errors)
    {
        if (limits.Cooldown < TimeSpan.Zero)
        {
            errors.Add($"{label}.limits.cooldown: {limits.Cooldown} must not be negative");
        }

        if (limits.MaxAttempts is < 1 or > 100)
        {
            errors.Add($"{label}.limits.maxAttempts: {limits.MaxAttempts} is outside 1..100");
        }

        if (limits.AttemptWindow <= TimeSpan.Zero)
        {
            errors.Add($"{label}.limits.attemptWindow: {limits.AttemptWindow} must be positive");
        }

        if (limits.Timeout <= TimeSpan.Zero || limits.Timeout > MaxTimeout)
        {
            errors.Add($"{label}.limits.timeout: {limits.Timeout} must be positive and at most {MaxTimeout}");
        }

        if (limits.MaxAttempts > 1 && limits.Cooldown > TimeSpan.Zero && limits.AttemptWindow > TimeSpan.Zero
            && limits.Cooldown * (limits.MaxAttempts - 1) >= limits.AttemptWindow)
        {
            errors.Add($"{label}.limits: maxAttempts {limits.MaxAttempts} within attemptWindow {limits.AttemptWindow} can never be reached with cooldown {limits.Cooldown} between attempts; shorten the cooldown, lower maxAttempts or widen the window");
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    private static partial Regex IdRegex();

    [GeneratedRegex("^[0-9]{12}$")]
    private static partial Regex AccountRegex();

    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]$")]
    private static partial Regex RegionRegex();

    [GeneratedRegex(@"^[a-zA-Z0-9_\-.:/]{3,128}$")]
    private static partial Regex DocumentNameRegex();

    [GeneratedRegex(@"^(\$DEFAULT|\$LATEST|[0-9]+)$")]
    private static partial Regex DocumentVersionRegex();

    [GeneratedRegex(@"^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\w+=,.@/-]{1,512}$")]
    private static partial Regex RoleArnRegex();

    [GeneratedRegex("^[A-Za-z0-9]{1,50}$")]
    private static partial Regex ParameterNameRegex();
}
