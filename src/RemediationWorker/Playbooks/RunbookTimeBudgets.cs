namespace RemediationWorker.Playbooks;

/// <summary>The longest each of the project's runbooks (deploy/runbooks) can run: the sum over its steps of
/// <c>timeoutSeconds</c> × <c>maxAttempts</c>. SSM counts a step with <c>maxAttempts</c> above 1 as timed out or
/// failed only once every attempt has ("Properties shared by all actions",
/// https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-actions.html), and <c>maxAttempts</c>
/// defaults to 1. The sum over all steps bounds every path through the document. RunbookTimeBudgetTests derives
/// each figure from its document, so a step limit changed there fails the tests until it is changed here too.</summary>
internal static class RunbookTimeBudgets
{
    /// <summary>Document name → worst case.</summary>
    public static IReadOnlyDictionary<string, TimeSpan> WorstCases { get; } = new Dictionary<string, TimeSpan>(StringComparer.Ordinal)
    {
        ["RemediationWorker-ContinueUpdateRollback"] = TimeSpan.FromSeconds(8460),
        ["RemediationWorker-RemediateStackDrift"] = TimeSpan.FromSeconds(6900),
        ["RemediationWorker-RetryCodeBuildBuild"] = TimeSpan.FromSeconds(7500),
        ["RemediationWorker-DriftSweep"] = TimeSpan.FromSeconds(660),
    };

    /// <summary>A playbook's tracking timeout may not be shorter than its runbook's worst case: the worker would give
    /// up on runs still inside the runbook's own waits. Documents other than the project's are not known here.</summary>
    public static void Validate(PlaybookOptions playbook, string label, List<string> errors)
    {
        var document = playbook.Runbook.DocumentName;
        if (WorstCases.TryGetValue(document, out var worstCase) && playbook.Limits.Timeout < worstCase)
        {
            errors.Add($"{label}.limits.timeout: {playbook.Limits.Timeout} is shorter than the worst case of {document}, {worstCase} "
                + "(the sum of its steps' timeoutSeconds × maxAttempts); raise it to at least that");
        }
    }
}
