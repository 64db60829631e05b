namespace RemediationWorker.Playbooks;

/// <summary>The SSM Automation document a playbook starts.</summary>
internal sealed class RunbookOptions
{
    /// <summary>Name or ARN; SSM's pattern is <c>^[a-zA-Z0-9_\-.:/]{3,128}$</c>.</summary>
    public string DocumentName { get; set; } = string.Empty;

    /// <summary><c>$DEFAULT</c>, <c>$LATEST</c> or a version number.</summary>
    /// <value>The default value is <c>$DEFAULT</c>.</value>
    public string DocumentVersion { get; set; } = "$DEFAULT";

    /// <summary>ARN of the role the runbook runs as; passed as the document's <c>AutomationAssumeRole</c> parameter.</summary>
    public string AutomationAssumeRole { get; set; } = string.Empty;

    /// <summary>The runbook's parameters by name.</summary>
    public Dictionary<string, ParameterOptions> Parameters { get; set; } = new(StringComparer.Ordinal);
}
