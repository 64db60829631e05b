using System.Text.Json.Nodes;

namespace RemediationWorker.Tests.Deploy;

/// <summary>The audit anchor of deploy/remediation-worker.yaml (issue 16, docs/audit-log.md): a bucket of its own with
/// Object Lock in compliance mode, versioning and Retain; the task role may only add objects to it; digests signed
/// by a KMS ECC key a parameter turns off.</summary>
public sealed class AuditStackTests
{
    private static readonly JsonObject Template = StackTemplateTests.Template;

    [Fact]
    public void AuditBucket_ObjectLockComplianceForTheRetentionParameterVersionedRetained()
    {
        var bucket = Template["Resources"]!["AuditBucket"]!.AsObject();
        var properties = Intrinsics(new() { ["AuditRetentionDays"] = 2555 }).Resolve(bucket["Properties"])!.AsObject();

        Assert.Equal("Retain", bucket["DeletionPolicy"]!.GetValue<string>());
        Assert.Equal("Retain", bucket["UpdateReplacePolicy"]!.GetValue<string>());
        Assert.Equal("true", properties["ObjectLockEnabled"]!.ToString());
        var retention = properties["ObjectLockConfiguration"]!["Rule"]!["DefaultRetention"]!;
        Assert.Equal("COMPLIANCE", retention["Mode"]!.GetValue<string>());
        Assert.Equal("2555", retention["Days"]!.ToString());
        Assert.Equal("Enabled", properties["VersioningConfiguration"]!["Status"]!.GetValue<string>());
        Assert.NotEqual("<ConfigBucket>", Intrinsics().ResolveString(JsonNode.Parse("""{"Ref":"AuditBucket"}""")));
    }

    [Fact]
    public void AuditBucketPolicy_RefusesAWriteWithoutIfNoneMatch()
    {
        var statements = Intrinsics().Resolve(Template["Resources"]!["AuditBucketPolicy"]!["Properties"]!["PolicyDocument"]!["Statement"])!.AsArray();

        var deny = Assert.Single(statements, s => s!["Sid"]!.GetValue<string>() == "WriteOnlyNewObjects")!;
        Assert.Equal("Deny", deny["Effect"]!.GetValue<string>());
        Assert.Equal("s3:PutObject", deny["Action"]!.GetValue<string>());
        Assert.Equal("true", deny["Condition"]!["Null"]!["s3:if-none-match"]!.GetValue<string>());
    }

    [Fact]
    public void TaskRole_AuditBucket_OnlyPutObjectUnderThePrefix()
    {
        var onAudit = TaskRoleGrants(Intrinsics()).Where(g => g.Resources.Any(r => r.StartsWith("<AuditBucket.Arn>", StringComparison.Ordinal))).ToList();

        var grant = Assert.Single(onAudit);
        Assert.Equal("s3:PutObject", grant.Action);
        Assert.Equal(["<AuditBucket.Arn>/audit/*"], grant.Resources);
        Assert.DoesNotContain(TaskRoleGrants(Intrinsics()), g => g.Action is "s3:DeleteObject" or "s3:DeleteObjectVersion" or "s3:PutObjectRetention"
            or "s3:PutObjectLegalHold" or "s3:BypassGovernanceRetention" or "s3:PutBucketObjectLockConfiguration");
    }

    [Fact]
    public void SigningKey_EccP256SignVerify_OnlyTheTaskRoleSignsAndAParameterTurnsItOff()
    {
        var key = Template["Resources"]!["AuditSigningKey"]!.AsObject();
        var properties = key["Properties"]!;

        Assert.Equal("SignDigests", key["Condition"]!.GetValue<string>());
        Assert.Equal("ECC_NIST_P256", properties["KeySpec"]!.GetValue<string>());
        Assert.Equal("SIGN_VERIFY", properties["KeyUsage"]!.GetValue<string>());
        var sign = Assert.Single(TaskRoleGrants(Intrinsics()), g => g.Action == "kms:Sign");
        Assert.Equal(["<AuditSigningKey.Arn>"], sign.Resources);
        Assert.Equal("<AuditSigningKey.Arn>", Environment(Intrinsics())["Audit__Digests__SigningKeyId"]);

        var off = Intrinsics(new() { ["SignAuditDigests"] = "false" });
        Assert.False(off.Condition("SignDigests"));
        Assert.DoesNotContain(TaskRoleGrants(off), g => g.Action == "kms:Sign");
        Assert.False(Environment(off).ContainsKey("Audit__Digests__SigningKeyId"));
    }

    [Fact]
    public void Worker_Environment_ShipsToTheAuditBucketAndNamesTheImageTag()
    {
        var environment = Environment(Intrinsics());

        Assert.Equal("<AuditBucket>", environment["Audit__Digests__Bucket"]);
        Assert.Equal("audit", environment["Audit__Digests__Prefix"]);
        Assert.Equal("0123abc", environment["Audit__ImageTag"]);
    }

    private static CfnIntrinsics Intrinsics(Dictionary<string, JsonNode>? overrides = null)
    {
        var values = new Dictionary<string, JsonNode>(StringComparer.Ordinal)
        {
            ["StackNamePrefix"] = "app-",
            ["CodeBuildProjectNames"] = new JsonArray("app-build"),
            ["ImageTag"] = "0123abc",
            ["ConfigWriterPrincipalArns"] = new JsonArray("arn:aws:iam::111122223333:role/config-publisher"),
        };
        foreach (var (name, value) in overrides ?? [])
        {
            values[name] = value;
        }

        return CfnIntrinsics.WithDefaults(Template, values);
    }

    private static List<(string Action, List<string> Resources)> TaskRoleGrants(CfnIntrinsics intrinsics)
    {
        var statements = intrinsics.Resolve(Template["Resources"]!["TaskRole"]!["Properties"]!["Policies"]![0]!["PolicyDocument"]!["Statement"])!.AsArray();
        return [.. statements.Where(s => s is not null).Select(s => s!.AsObject()).SelectMany(s => Values(s["Action"])
            .Select(a => (a, Values(s["Resource"]).ToList())))];
    }

    private static IEnumerable<string> Values(JsonNode? node) => node is JsonArray array
        ? array.Select(n => n!.ToString())
        : [node!.ToString()];

    private static Dictionary<string, string> Environment(CfnIntrinsics intrinsics)
        => intrinsics.Resolve(Template["Resources"]!["TaskDefinition"]!["Properties"]!["ContainerDefinitions"])!.AsArray()
            .Single(c => c!["Name"]!.GetValue<string>() == "remediation-worker")!["Environment"]!.AsArray()
            .Where(e => e is not null)
            .ToDictionary(e => e!["Name"]!.GetValue<string>(), e => e!["Value"]!.ToString(), StringComparer.Ordinal);
}
