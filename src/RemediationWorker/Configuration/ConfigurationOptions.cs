using System.ComponentModel.DataAnnotations;

namespace RemediationWorker.Configuration;

/// <summary>The <c>Configuration</c> section: how often a running worker looks for a new version of its
/// configuration document.</summary>
internal sealed class ConfigurationOptions
{
    public const string SectionName = "Configuration";

    /// <summary>Time between two looks (an S3 object: one conditional GET each, answered 304 while unchanged; a
    /// local file is also watched, so an edit there is seen at once).</summary>
    /// <value>The default value is 1 minute: 60 requests an hour, an edit applied within a minute.</value>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);
}
