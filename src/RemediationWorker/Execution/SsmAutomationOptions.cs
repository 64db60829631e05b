using System.ComponentModel.DataAnnotations;

namespace RemediationWorker.Execution;

/// <summary>The <c>Aws:Automation</c> section: the shared start rate (an AIMD token bucket) and the tracking
/// poll. Defaults suit an account whose start rate SSM does not publish (AWS Systems Manager endpoints and quotas: the rate of StartAutomationExecution is not listed): start gently, find
/// the rate by its throttling, poll status with growing, jittered intervals.</summary>
internal sealed class SsmAutomationOptions
{
    public const string SectionName = "Aws:Automation";

    /// <summary>Starts per second before SSM has said anything.</summary>
    /// <value>The default value is 10.</value>
    [Range(0.1, 10_000)]
    public double InitialStartRate { get; set; } = 10;

    /// <value>The default value is 0.5 starts per second.</value>
    [Range(0.01, 10_000)]
    public double MinStartRate { get; set; } = 0.5;

    /// <value>The default value is 200 starts per second.</value>
    [Range(0.1, 100_000)]
    public double MaxStartRate { get; set; } = 200;

    /// <summary>Additive increase: starts per second gained per second without throttling.</summary>
    /// <value>The default value is 2.</value>
    [Range(0.01, 10_000)]
    public double StartRateIncreasePerSecond { get; set; } = 2;

    /// <summary>Multiplicative decrease on throttling (at most once per <see cref="ThrottleHold"/>).</summary>
    /// <value>The default value is 0.85.</value>
    [Range(0.1, 0.99)]
    public double StartRateDecreaseFactor { get; set; } = 0.85;

    /// <summary>After a decrease, further throttles are answers to calls already sent and do not decrease again.</summary>
    /// <value>The default value is 1 second.</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan ThrottleHold { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Tokens the bucket holds at most (the burst the worker allows itself).</summary>
    /// <value>The default value is 1: evenly spaced starts.</value>
    [Range(1, 1_000)]
    public double StartBurst { get; set; } = 1;

    /// <summary>How long every start waits after <c>AutomationExecutionLimitExceededException</c> (the account's
    /// automation queue is full); doubles while it persists, up to <see cref="QueueFullMaxPause"/>.</summary>
    /// <value>The default value is 30 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan QueueFullPause { get; set; } = TimeSpan.FromSeconds(30);

    /// <value>The default value is 5 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan QueueFullMaxPause { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The first status poll after a start.</summary>
    /// <value>The default value is 5 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan PollInitialDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <value>The default value is 1 minute.</value>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan PollMaxDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <value>The default value is 1.5.</value>
    [Range(1.0, 10.0)]
    public double PollMultiplier { get; set; } = 1.5;

    /// <summary>Each poll delay is spread by up to this fraction either way, so that runs started together do
    /// not poll together.</summary>
    /// <value>The default value is 0.2.</value>
    [Range(0.0, 0.9)]
    public double PollJitter { get; set; } = 0.2;
}
