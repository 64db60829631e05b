using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RemediationWorker.Playbooks;
using RemediationWorker.Tests.TestSupport;

namespace RemediationWorker.Tests.Deploy;

/// <summary>The stack's side of the operator's configuration: the versioned bucket and who may write it, the task's
/// read of the one object and its environment, the ceiling parameters, the optional collector and the alarms.</summary>
public sealed class ConfigurationStackTests
{
    private const string Writer = "arn:aws:iam::111122223333:role/config-publisher";
    private static readonly JsonObject Template = YamlTree.Load(DeployFiles.Template)!.AsObject();

    [Fact]
    public void Parameters_CeilingWritersAndCollector_DeclaredWithSafeDefaults()
    {
        var parameters = Template["Parameters"]!.AsObject();

        Assert.Null(parameters["ConfigWriterPrincipalArns"]!["Default"]); // the operator must name the writers
        Assert.Equal("CommaDelimitedList", parameters["ConfigWriterPrincipalArns"]!["Type"]!.GetValue<string>());
        Assert.Equal("DryRun", parameters["ExecutionMode"]!["Default"]!.GetValue<string>());
        Assert.Equal("false", parameters["EnableCollector"]!["Default"]!.GetValue<string>());
        Assert.Equal(string.Empty, parameters["AllowedAccounts"]!["Default"]!.GetValue<string>());
        Assert.Equal(string.Empty, parameters["AllowedRegions"]!["Default"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("public.ecr.aws/aws-observability/aws-otel-collector:v0.40.0", true)]
    [InlineData("111122223333.dkr.ecr.eu-west-1.amazonaws.com/ecr-public/aws-observability/aws-otel-collector:v0.40.0", true)]
    [InlineData("registry.example.com:5000/otel/collector@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", true)]
    [InlineData("aws-otel-collector", false)]
    [InlineData("public.ecr.aws/aws-observability/aws-otel-collector:v1 ; rm -rf /", false)]
    public void CollectorImage_AnyRegistry_ButAnImageReference(string image, bool allowed)
    {
        var pattern = Template["Parameters"]!["CollectorImage"]!["AllowedPattern"]!.GetValue<string>();

        Assert.Equal(allowed, Regex.IsMatch(image, pattern));
    }

    [Fact]
    public void ConfigBucket_VersionedEncryptedPrivate()
    {
        var bucket = Resource("ConfigBucket");

        Assert.Equal("Enabled", bucket["VersioningConfiguration"]!["Status"]!.GetValue<string>());
        Assert.NotNull(bucket["BucketEncryption"]!["ServerSideEncryptionConfiguration"]![0]!["ServerSideEncryptionByDefault"]!["SSEAlgorithm"]);
        var block = bucket["PublicAccessBlockConfiguration"]!.AsObject();
        Assert.Equal(4, block.Count);
        Assert.All(block, setting => Assert.Equal("true", setting.Value!.GetValue<string>()));
        Assert.Equal("Retain", Template["Resources"]!["ConfigBucket"]!["DeletionPolicy"]!.GetValue<string>());
    }

    [Fact]
    public void ConfigBucketPolicy_TlsOnlyAndOnlyTheNamedWritersWrite()
    {
        var statements = Intrinsics().Resolve(Resource("ConfigBucketPolicy")["PolicyDocument"]!["Statement"])!.AsArray().Select(s => s!.AsObject()).ToList();

        var tls = Assert.Single(statements, s => s["Sid"]!.GetValue<string>() == "TlsOnly");
        Assert.Equal("Deny", tls["Effect"]!.GetValue<string>());
        Assert.Equal("false", tls["Condition"]!["Bool"]!["aws:SecureTransport"]!.GetValue<string>());
        Assert.Equal(["<ConfigBucket.Arn>", "<ConfigBucket.Arn>/*"], tls["Resource"]!.AsArray().Select(r => r!.GetValue<string>()));

        var writers = Assert.Single(statements, s => s["Sid"]!.GetValue<string>() == "OnlyTheConfigWritersWrite");
        Assert.Equal("Deny", writers["Effect"]!.GetValue<string>());
        Assert.Contains("s3:PutObject", writers["Action"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal([Writer], writers["Condition"]!["ArnNotLike"]!["aws:PrincipalArn"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.All(statements.Where(s => s["Effect"]!.GetValue<string>() == "Allow"), s => Assert.Equal([Writer], s["Principal"]!["AWS"]!.AsArray().Select(a => a!.GetValue<string>())));
    }

    [Fact]
    public void TaskRole_S3_ReadsOnlyTheConfigurationObject()
    {
        var s3 = PolicyStatement.FindAll(Template)
            .Where(s => s.Location.StartsWith("TaskRole.", StringComparison.Ordinal))
            .SelectMany(s => s.Actions.Select(a => (Action: a!.GetValue<string>(), Resources: s.Resources.Select(Intrinsics().ResolveString).ToList())))
            .Where(g => g.Action.StartsWith("s3:", StringComparison.Ordinal) && !g.Resources.All(r => r.StartsWith("<AuditBucket.Arn>/", StringComparison.Ordinal)))
            .ToList();

        var grant = Assert.Single(s3); // the audit bucket's PutObject is AuditStackTests'

        Assert.Equal("s3:GetObject", grant.Action);
        Assert.Equal(["<ConfigBucket.Arn>/remediation-worker/appsettings.json"], grant.Resources);
    }

    [Fact]
    public void Worker_Environment_NamesTheConfigurationAndTheCeiling()
    {
        var environment = WorkerEnvironment(Intrinsics());

        Assert.Equal("s3://<ConfigBucket>/remediation-worker/appsettings.json", environment["REMEDIATION_CONFIG"]);
        Assert.Equal("DryRun", environment["Stack__ExecutionMode"]);
        Assert.Equal("111122223333", environment["Stack__AllowedAccounts"]); // empty parameter: this account only
        Assert.Equal("us-east-1", environment["Stack__AllowedRegions"]);
        Assert.Equal("<RunbookRole.Arn>", environment["Stack__RunbookRoleArn"]);
    }

    [Fact]
    public void Worker_EnvironmentFromTheStack_IsTheCeilingTheWorkerApplies()
    {
        var environment = WorkerEnvironment(Intrinsics(new()
        {
            ["ExecutionMode"] = "Live",
            ["AllowedAccounts"] = new JsonArray("111122223333", "444455556666"),
            ["AllowedRegions"] = new JsonArray("eu-west-1"),
        }));
        var stack = environment.Where(e => e.Key.StartsWith("Stack__", StringComparison.Ordinal))
            .ToDictionary(e => e.Key.Replace("__", ":", StringComparison.Ordinal), e => (string?)e.Value, StringComparer.Ordinal);
        stack["Stack:RunbookRoleArn"] = "arn:aws:iam::111122223333:role/stack-RunbookRole-X";

        var version = RemediationConfigurationLoader.Load(TestConfiguration.Edited(json => json["Execution"]!["Mode"] = "Live", stack)).Version!;

        Assert.Equal(["111122223333"], version.Options.AllowedAccounts);
        Assert.Equal(["eu-west-1"], version.Options.AllowedRegions);
        Assert.Equal(RunMode.Live, version.GlobalMode);
    }

    [Fact]
    public void Collector_OffByDefault_NoSidecarNoDependencyNoExport()
    {
        var containers = Containers(Intrinsics());

        var worker = Assert.Single(containers);
        Assert.Null(worker["DependsOn"]);
        Assert.DoesNotContain("OTEL_EXPORTER_OTLP_ENDPOINT", WorkerEnvironment(Intrinsics()).Keys);
        Assert.False(Intrinsics().Condition("HasCollectorRepository")); // nor the execution role's pull of its image
    }

    [Fact]
    public void Collector_On_SidecarFromTheNamedImageAndTheWorkerWaitsForItsStart()
    {
        var intrinsics = Intrinsics(new() { ["EnableCollector"] = "true", ["CollectorImage"] = "111122223333.dkr.ecr.us-east-1.amazonaws.com/ecr-public/aws-observability/aws-otel-collector:v0.40.0", ["CollectorRepositoryName"] = "ecr-public/aws-observability/aws-otel-collector" });
        var containers = Containers(intrinsics);

        var collector = Assert.Single(containers, c => c["Name"]!.GetValue<string>() == "aws-otel-collector");
        Assert.Equal("111122223333.dkr.ecr.us-east-1.amazonaws.com/ecr-public/aws-observability/aws-otel-collector:v0.40.0", collector["Image"]!.GetValue<string>());
        Assert.Equal("false", collector["Essential"]!.GetValue<string>());
        var worker = containers.Single(c => c["Name"]!.GetValue<string>() == "remediation-worker");
        Assert.Equal("START", worker["DependsOn"]![0]!["Condition"]!.GetValue<string>());
        Assert.Equal("http://localhost:4317", WorkerEnvironment(intrinsics)["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.True(intrinsics.Condition("HasCollectorRepository"));
        var pull = Assert.Single(intrinsics.Resolve(Resource("TaskExecutionRole")["Policies"]![0]!["PolicyDocument"]!["Statement"])!.AsArray(), s => s!["Sid"]!.GetValue<string>() == "PullTheCollectorImage")!;
        Assert.Equal("arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/aws-observability/aws-otel-collector", pull["Resource"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("DeadLetterQueueDepthAlarm", "ApproximateNumberOfMessagesVisible", "DeadLetterQueue")]
    [InlineData("OldestMessageAgeAlarm", "ApproximateAgeOfOldestMessage", "EventQueue")]
    public void Alarms_QueueMetrics_OnTheirQueues(string alarm, string metric, string queue)
    {
        var properties = Intrinsics().Resolve(Resource(alarm))!.AsObject();

        Assert.Equal("AWS/SQS", properties["Namespace"]!.GetValue<string>());
        Assert.Equal(metric, properties["MetricName"]!.GetValue<string>());
        Assert.Equal($"<{queue}.QueueName>", properties["Dimensions"]![0]!["Value"]!.GetValue<string>());
        Assert.Null(properties["AlarmActions"]); // no topic given: alarms without actions
    }

    [Fact]
    public void Alarms_RunningTasksBelowDesired_DesiredMinusRunningAboveZero()
    {
        var properties = Intrinsics(new() { ["AlarmTopicArn"] = "arn:aws:sns:us-east-1:111122223333:ops" }).Resolve(Resource("RunningTasksBelowDesiredAlarm"))!.AsObject();
        var metrics = properties["Metrics"]!.AsArray().ToDictionary(m => m!["Id"]!.GetValue<string>(), m => m!.AsObject());

        Assert.Equal("desired - running", metrics["missing"]["Expression"]!.GetValue<string>());
        Assert.Equal("DesiredTaskCount", metrics["desired"]["MetricStat"]!["Metric"]!["MetricName"]!.GetValue<string>());
        Assert.Equal("RunningTaskCount", metrics["running"]["MetricStat"]!["Metric"]!["MetricName"]!.GetValue<string>());
        Assert.Equal("GreaterThanThreshold", properties["ComparisonOperator"]!.GetValue<string>());
        Assert.Equal("0", properties["Threshold"]!.GetValue<string>());
        Assert.Equal(["arn:aws:sns:us-east-1:111122223333:ops"], properties["AlarmActions"]!.AsArray().Select(a => a!.GetValue<string>()));
    }

    [Fact]
    public void Outputs_TellTheOperatorWhereToPublishAndWhichRole()
    {
        var outputs = Intrinsics().Resolve(Template["Outputs"])!.AsObject();

        Assert.Equal("s3://<ConfigBucket>/remediation-worker/appsettings.json", outputs["ConfigurationUri"]!["Value"]!.GetValue<string>());
        Assert.Equal("<ConfigBucket>", outputs["ConfigBucketName"]!["Value"]!.GetValue<string>());
        Assert.Equal("<RunbookRole.Arn>", outputs["RunbookRoleArn"]!["Value"]!.GetValue<string>());
    }

    private static CfnIntrinsics Intrinsics(Dictionary<string, JsonNode>? overrides = null)
    {
        var values = new Dictionary<string, JsonNode>(StringComparer.Ordinal)
        {
            ["StackNamePrefix"] = "app-",
            ["CodeBuildProjectNames"] = new JsonArray("app-build"),
            ["ImageTag"] = "0123abc",
            ["ConfigWriterPrincipalArns"] = new JsonArray(Writer),
        };
        foreach (var (name, value) in overrides ?? [])
        {
            values[name] = value;
        }

        return CfnIntrinsics.WithDefaults(Template, values);
    }

    private static JsonObject Resource(string name) => Template["Resources"]![name]!["Properties"]!.AsObject();

    private static List<JsonObject> Containers(CfnIntrinsics intrinsics)
        => intrinsics.Resolve(Resource("TaskDefinition")["ContainerDefinitions"])!.AsArray().Select(c => c!.AsObject()).ToList();

    private static Dictionary<string, string> WorkerEnvironment(CfnIntrinsics intrinsics)
        => Containers(intrinsics).Single(c => c["Name"]!.GetValue<string>() == "remediation-worker")["Environment"]!.AsArray()
            .ToDictionary(e => e!["Name"]!.GetValue<string>(), e => e!["Value"]!.GetValue<string>(), StringComparer.Ordinal);
}
