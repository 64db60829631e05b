using System.ComponentModel.DataAnnotations;

namespace RemediationWorker.Diagnostics;

/// <summary>The <c>Health</c> section: where the poll loop leaves its heartbeat and how long a silence the
/// <c>health</c> command accepts.</summary>
internal sealed class HealthOptions
{
    public const string SectionName = "Health";

    /// <summary>The heartbeat file; relative paths are relative to the working directory (<c>/app</c> in the
    /// container). The container's root file system is read-only, so the default lies in the writable audit
    /// volume.</summary>
    /// <value>The default value is <c>audit/.heartbeat</c>.</value>
    [Required]
    public string HeartbeatPath { get; set; } = "audit/.heartbeat";

    /// <summary>How long the poll loop may go without completing a poll before <c>health</c> reports unhealthy.
    /// Must exceed the longest poll (the SQS long-poll wait, 20 s, or <c>Intake:Local:PollInterval</c>).</summary>
    /// <value>The default value is 2 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00")]
    public TimeSpan MaxSilence { get; set; } = TimeSpan.FromMinutes(2);

    public string ResolveHeartbeatPath() => Path.GetFullPath(HeartbeatPath);
}
