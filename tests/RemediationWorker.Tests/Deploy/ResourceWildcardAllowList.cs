namespace RemediationWorker.Tests.Deploy;

/// <summary>The only actions an Allow statement may grant on <c>Resource: "*"</c>, each with the reason.
/// Keep it small: an entry is a claim that AWS offers no narrower resource for that action.</summary>
internal static class ResourceWildcardAllowList
{
    public static IReadOnlyDictionary<string, string> Reasons { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["ssm:DescribeAutomationExecutions"] = "List action; the Service Authorization Reference gives it no resource type.",
        ["ssm:DescribeOpsItems"] = "List action; no resource type (the OpsItems it returns are not known before the call).",
        ["ssm:CreateOpsItem"] = "No resource type in the Service Authorization Reference; the OpsItem ARN does not exist before the call.",
        ["cloudformation:ListStacks"] = "List action; no resource type. The drift sweep filters by StackNamePrefix, and DetectStackDrift itself is scoped to the prefix.",
        ["cloudformation:DescribeStackDriftDetectionStatus"] = "Takes only a detection id, no stack; no resource type.",
        ["cloudformation:BatchDescribeTypeConfigurations"] = "Read-only; AWS lists it among the permissions DetectStackDrift needs; resource-level support unverified here.",
        ["ecr:GetAuthorizationToken"] = "Registry-wide login token; no resource type. Image pulls themselves are scoped to the repository.",
        ["xray:PutTraceSegments"] = "X-Ray ingestion has no resource type (ADOT collector sidecar).",
        ["xray:PutTelemetryRecords"] = "X-Ray ingestion has no resource type (ADOT collector sidecar).",
        ["xray:GetSamplingRules"] = "Sampling rules lookup by the ADOT collector; scoping unverified, read-only.",
        ["xray:GetSamplingTargets"] = "Sampling targets lookup by the ADOT collector; scoping unverified, read-only.",
    };
}
