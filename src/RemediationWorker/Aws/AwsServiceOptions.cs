namespace RemediationWorker.Aws;

/// <summary>One service client's settings.</summary>
internal sealed class AwsServiceOptions
{
    /// <summary>An endpoint to use instead of the region's (a local emulator: <c>http://127.0.0.1:5000</c>).</summary>
    /// <value>The default value is empty: the region's endpoint.</value>
    public string ServiceUrl { get; set; } = string.Empty;

    /// <summary>The HTTP timeout of one call (the Polly pipelines also time each attempt).</summary>
    /// <value>The default value is 30 seconds (the long poll is 20 s).</value>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
