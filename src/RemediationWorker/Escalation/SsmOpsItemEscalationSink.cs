using System.Text.Json;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Registry;
using RemediationWorker.Aws;
using RemediationWorker.Diagnostics;

namespace RemediationWorker.Escalation;

/// <summary>Escalates as an OpsCenter OpsItem. One de-duplication key per (resource, playbook)
/// (<c>OperationalDataKey "/aws/dedup"</c>), so repeated escalations of the same resource join one open item; the
/// item holds the event, the attempts and their execution ids.</summary>
internal sealed class SsmOpsItemEscalationSink : IEscalationSink
{
    public const string OpsItemSource = "RemediationWorker";

    private readonly Lazy<IAmazonSimpleSystemsManagement> _ssm;
    private readonly ResiliencePipeline _pipeline;
    private readonly ILogger<SsmOpsItemEscalationSink> _logger;

    public SsmOpsItemEscalationSink(Lazy<IAmazonSimpleSystemsManagement> ssm, ResiliencePipelineProvider<string> pipelines, ILogger<SsmOpsItemEscalationSink> logger)
    {
        _ssm = ssm;
        _pipeline = pipelines.GetPipeline(AwsResiliencePipelines.SsmOpsItem);
        _logger = logger;
    }

    public static string DedupString(string resource, string playbookId) => $"remediation:{playbookId}:{resource}";

    public static CreateOpsItemRequest CreateRequest(EscalationRequest request)
    {
        var title = $"Remediation escalated: {request.PlaybookId} on {request.Resource}";
        var isArn = IsArn(request.Resource);
        var description = $"{request.Reason}\nEvent {request.EventId} ({request.Source} / {request.DetailType}); {request.Attempts} attempt(s); executions: {(request.ExecutionIds.Count == 0 ? "none" : string.Join(", ", request.ExecutionIds))}."
                          + (isArn ? string.Empty : $"\nResource: {request.Resource}");
        var data = new Dictionary<string, OpsItemDataValue>
        {
            ["/aws/dedup"] = new() { Type = OpsItemDataType.SearchableString, Value = JsonSerializer.Serialize(new Dictionary<string, string> { ["dedupString"] = DedupString(request.Resource, request.PlaybookId) }) },
            ["remediation:event"] = new() { Type = OpsItemDataType.String, Value = Cut(request.EventSummaryJson, 8000) },
            ["remediation:attempts"] = new()
            {
                Type = OpsItemDataType.SearchableString,
                Value = JsonSerializer.Serialize(new Dictionary<string, object> { ["count"] = request.Attempts, ["executionIds"] = request.ExecutionIds, ["playbook"] = request.PlaybookId }),
            },
        };
        if (isArn)
        {
            // OpsCenter's related resources take ARNs only; anything else (a sweep's stack-name prefix) is in the description.
            data["/aws/resources"] = new() { Type = OpsItemDataType.SearchableString, Value = JsonSerializer.Serialize(new[] { new Dictionary<string, string> { ["arn"] = request.Resource } }) };
        }

        return new CreateOpsItemRequest
        {
            Title = Cut(title, 1024),
            Description = Cut(description, 2048),
            Source = OpsItemSource,
            Severity = request.Severity,
            Category = request.Category,
            OperationalData = data,
        };
    }

    public async ValueTask<string?> EscalateAsync(EscalationRequest request, CancellationToken cancellationToken)
    {
        var create = CreateRequest(request);
        try
        {
            var response = await _pipeline.ExecuteAsync(
                static async (state, token) => await state.Ssm.CreateOpsItemAsync(state.Request, token),
                (Ssm: _ssm.Value, Request: create),
                cancellationToken);
            _logger.OpsItemCreated(response.OpsItemId, request.PlaybookId, request.Resource);
            return response.OpsItemId;
        }
        catch (OpsItemAlreadyExistsException ex)
        {
            _logger.OpsItemCreated(ex.OpsItemId ?? "(existing)", request.PlaybookId, request.Resource);
            return ex.OpsItemId;
        }
    }

    /// <summary>An ARN as OpsCenter's <c>/aws/resources</c> accepts it: <c>arn:partition:service:region:account:resource</c>.</summary>
    public static bool IsArn(string value)
        => value.StartsWith("arn:", StringComparison.Ordinal) && value.Split(':', 6).Length == 6 && value.Split(':', 6)[5].Length > 0;

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max];
}
