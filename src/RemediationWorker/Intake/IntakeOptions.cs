using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace RemediationWorker.Intake;

/// <summary>The <c>Intake</c> section.</summary>
internal sealed class IntakeOptions
{
    public const string SectionName = "Intake";

    /// <value>The default value is <see cref="IntakeSource.Local"/>.</value>
    [EnumDataType(typeof(IntakeSource))]
    public IntakeSource Source { get; set; } = IntakeSource.Local;

    /// <summary>The SQS queue (with <c>Source=Sqs</c>).</summary>
    public string QueueUrl { get; set; } = string.Empty;

    public LocalIntakeOptions Local { get; set; } = new();

    public SqsIntakeOptions Sqs { get; set; } = new();

    [ValidateObjectMembers]
    public EventLimits Limits { get; set; } = new();
}
