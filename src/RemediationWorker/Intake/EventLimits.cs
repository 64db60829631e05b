using System.ComponentModel.DataAnnotations;
using EventPatterns;

namespace RemediationWorker.Intake;

/// <summary><c>Intake:Limits</c>: what every event must keep to, whatever its source (SQS, local files, replay,
/// <c>test-pattern</c>). An event over a limit is rejected (<see cref="EventIntakeCheck"/>) before anything else reads it.</summary>
internal sealed class EventLimits
{
    public const string SectionPath = "Intake:Limits";

    /// <summary>Largest event, in UTF-8 bytes.</summary>
    /// <value>The default value is 1,048,576: the EventBridge and SQS payload maximum since 2026-01-29.</value>
    [Range(2, 16 * 1024 * 1024)]
    public int MaxEventBytes { get; set; } = 1024 * 1024;

    /// <summary>Deepest nesting of objects and arrays.</summary>
    /// <value>The default value is 64.</value>
    [Range(2, 1000)]
    public int MaxDepth { get; set; } = 64;

    /// <summary>Most elements in one array.</summary>
    /// <value>The default value is 10,000.</value>
    [Range(1, int.MaxValue)]
    public int MaxArrayLength { get; set; } = 10_000;

    /// <summary>Longest string (values and member names), in UTF-8 bytes as written in the event, escapes included.</summary>
    /// <value>The default value is 16,384: ten times the longest identifier AWS documents (an ARN, 2,048), and still
    /// short of the 16 KiB audit and log line.</value>
    [Range(1, int.MaxValue)]
    public int MaxStringLength { get; set; } = 16_384;

    /// <summary>These limits and the intake's rules (no member name twice, no lone surrogate) for the pattern matcher,
    /// whose one walk of an event checks them all as it matches (<see cref="EventIntakeCheck"/>).</summary>
    public MatcherOptions ToMatcherOptions() => new()
    {
        MaxDepth = MaxDepth,
        MaxEventBytes = MaxEventBytes,
        MaxArrayLength = MaxArrayLength,
        MaxStringLength = MaxStringLength,
        RejectDuplicateMembers = true,
        RejectLoneSurrogates = true,
    };
}
