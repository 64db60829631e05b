using RemediationWorker.Testing;

namespace RemediationWorker.Tests.Deploy;

/// <summary>The deploy/ files and the contract names that playbooks refer to.</summary>
internal static class DeployFiles
{
    public static string Template { get; } = Path.Combine(RepositoryPaths.Root, "deploy", "remediation-worker.yaml");

    public static string RunbookDirectory { get; } = Path.Combine(RepositoryPaths.Root, "deploy", "runbooks");

    /// <summary>Runbook file (relative to deploy/runbooks) → SSM document name. A contract with the playbooks.</summary>
    public static IReadOnlyDictionary<string, string> DocumentNames { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["continue-update-rollback.yaml"] = "RemediationWorker-ContinueUpdateRollback",
        ["remediate-stack-drift.yaml"] = "RemediationWorker-RemediateStackDrift",
        ["retry-codebuild-build.yaml"] = "RemediationWorker-RetryCodeBuildBuild",
        ["drift-sweep.yaml"] = "RemediationWorker-DriftSweep",
    };

    public static TheoryData<string> RunbookFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in DocumentNames.Keys)
        {
            data.Add(file);
        }

        return data;
    }

    public static string Runbook(string file) => Path.Combine(RunbookDirectory, file);
}
