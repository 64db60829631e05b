namespace RemediationWorker.Playbooks;

/// <summary>One runbook parameter: a literal or a template over event fields, and the check every rendered
/// value must pass before it leaves the process.</summary>
internal sealed class ParameterOptions
{
    /// <summary>A literal, or a template such as <c>{{detail.project-name}}</c> or <c>build {{detail.build-id}}</c>.</summary>
    public string Value { get; set; } = string.Empty;

    /// <summary>A .NET regular expression the whole rendered value must match (anchored for you).</summary>
    public string AllowedPattern { get; set; } = string.Empty;

    /// <summary>Longest rendered value, in characters.</summary>
    /// <value>The default value is 256.</value>
    public int MaxLength { get; set; } = 256;
}
