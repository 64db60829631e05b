using System.ComponentModel.DataAnnotations;

namespace RemediationWorker.Aws;

/// <summary>The <c>Aws:Resilience</c> section: one shape for every per-operation pipeline
/// (<see cref="AwsResiliencePipelines"/>). Defaults follow the SDK's Standard mode (exponential, full jitter, a
/// 20 s cap) with a few more attempts, because the SDK's own retries are off.</summary>
internal sealed class AwsResilienceOptions
{
    public const string SectionName = "Aws:Resilience";

    /// <summary>First retry delay (doubled each attempt, with jitter).</summary>
    /// <value>The default value is 500 milliseconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The cap on one retry delay.</summary>
    /// <value>The default value is 20 seconds (the SDK's own cap).</value>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Retries after the first attempt.</summary>
    /// <value>The default value is 6 (about a minute of waiting with the defaults).</value>
    [Range(0, 50)]
    public int MaxRetryAttempts { get; set; } = 6;

    /// <summary>The timeout of one attempt.</summary>
    /// <value>The default value is 15 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:05:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Failure ratio over <see cref="BreakerSamplingDuration"/> that opens the breaker.</summary>
    /// <value>The default value is 0.5.</value>
    [Range(0.01, 1.0)]
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Calls in the sampling window before the ratio counts.</summary>
    /// <value>The default value is 20.</value>
    [Range(2, 10_000)]
    public int BreakerMinimumThroughput { get; set; } = 20;

    /// <value>The default value is 30 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open breaker fails calls fast before it lets a trial through.</summary>
    /// <value>The default value is 15 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan BreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(15);
}
