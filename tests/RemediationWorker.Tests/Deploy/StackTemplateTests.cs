using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EventPatterns;

namespace RemediationWorker.Tests.Deploy;

/// <summary>Security and wiring rules of deploy/remediation-worker.yaml, checked without AWS.</summary>
public sealed class StackTemplateTests
{
    internal static readonly JsonObject Template = YamlTree.Load(DeployFiles.Template)!.AsObject();

    /// <summary>Parameter values the rule and policy checks deploy with (defaults for the rest).</summary>
    internal static readonly CfnIntrinsics Intrinsics = CfnIntrinsics.WithDefaults(Template, new Dictionary<string, JsonNode>(StringComparer.Ordinal)
    {
        ["StackNamePrefix"] = "app-",
        ["CodeBuildProjectNames"] = new JsonArray("app-build", "app-deploy"),
        ["ImageTag"] = "0123abc",
        ["EnableCollector"] = "true",
        ["ConfigWriterPrincipalArns"] = new JsonArray("arn:aws:iam::111122223333:role/config-publisher"),
    });

    internal static readonly IReadOnlyList<PolicyStatement> Statements = PolicyStatement.FindAll(Template);

    public static TheoryData<string> Files => DeployFiles.RunbookFiles();

    private static readonly string[] RulesWithPatterns = ["RollbackFailedRule", "DriftDetectedRule", "BuildFailedRule"];

    public static TheoryData<string> PatternRules => new(RulesWithPatterns);

    // ------------------------------------------------------------------ runbook documents

    [Theory]
    [MemberData(nameof(Files))]
    public void Documents_EveryRunbookFile_IsEmbeddedUnderItsContractName(string file)
    {
        var documents = Resources("AWS::SSM::Document")
            .Where(r => r.Properties["Name"]?.GetValue<string>() == DeployFiles.DocumentNames[file])
            .ToList();

        var document = Assert.Single(documents).Properties;
        Assert.Equal("Automation", document["DocumentType"]?.GetValue<string>());
        Assert.Equal("YAML", document["DocumentFormat"]?.GetValue<string>());
        Assert.Equal("NewVersion", document["UpdateMethod"]?.GetValue<string>());
        Assert.True(
            JsonNode.DeepEquals(RunbookDocumentTests.Load(file), document["Content"]),
            $"The Content of {DeployFiles.DocumentNames[file]} differs from deploy/runbooks/{file}: run python3 deploy/sync-runbooks.py");
    }

    [Fact]
    public void Documents_Template_HasNoOtherDocuments() =>
        Assert.Equal(DeployFiles.DocumentNames.Count, Resources("AWS::SSM::Document").Count());

    // ------------------------------------------------------------------ IAM

    [Fact]
    public void Iam_NoStatement_UsesAWildcardOrNegatedAction()
    {
        Assert.NotEmpty(Statements);
        foreach (var statement in Statements)
        {
            Assert.Null(statement.Statement["NotAction"]);
            Assert.Null(statement.Statement["NotResource"]);
            Assert.NotEmpty(statement.Actions);
            // A Deny only narrows: the configuration bucket's TLS-only statement denies s3:* without TLS (AWS's own pattern).
            var isDeny = statement.Statement["Effect"]?.GetValue<string>() == "Deny";
            foreach (var action in statement.Actions.Select(a => a!.GetValue<string>()))
            {
                Assert.False(action.Contains('*', StringComparison.Ordinal) && !isDeny, $"{statement.Location}: action {action}");
            }
        }
    }

    [Fact]
    public void Iam_WildcardResource_OnlyForActionsWithoutResourceLevelPermissions()
    {
        foreach (var statement in Statements.Where(s => s.IsAllow && !s.IsKeyPolicy))
        {
            if (!statement.Resources.Any(r => r is JsonValue value && value.GetValue<string>() == "*"))
            {
                continue;
            }

            foreach (var action in statement.Actions.Select(a => a!.GetValue<string>()))
            {
                Assert.True(
                    ResourceWildcardAllowList.Reasons.ContainsKey(action),
                    $"{statement.Location}: {action} on Resource \"*\" is not in ResourceWildcardAllowList");
            }
        }
    }

    [Fact]
    public void Iam_WildcardAllowList_EveryEntryIsExplainedAndUsed()
    {
        var used = Statements
            .Where(s => s.Resources.Any(r => r is JsonValue value && value.GetValue<string>() == "*") && !s.IsKeyPolicy)
            .SelectMany(s => s.Actions.Select(a => a!.GetValue<string>()))
            .ToHashSet(StringComparer.Ordinal);

        foreach (var (action, reason) in ResourceWildcardAllowList.Reasons)
        {
            Assert.False(string.IsNullOrWhiteSpace(reason), action);
            Assert.Contains(action, used);
        }
    }

    [Fact]
    public void Iam_EveryStatementWithAWildcardPrincipal_IsConditioned()
    {
        foreach (var statement in Statements.Where(s => s.Statement["Principal"] is not null))
        {
            var principal = statement.Statement["Principal"]!;
            var wide = principal is JsonValue || principal["AWS"]?.ToJsonString() == "\"*\"" || principal["Service"] is not null;
            Assert.True(!wide || statement.Statement["Condition"] is JsonObject, $"{statement.Location}: {principal.ToJsonString()} without Condition");
        }
    }

    [Fact]
    public void TaskRole_StartAutomationExecution_OnlyOnTheFourDocuments()
    {
        var resources = RoleStatements("TaskRole")
            .Where(s => s.Actions.Any(a => a!.GetValue<string>() == "ssm:StartAutomationExecution"))
            .SelectMany(s => s.Resources.Select(Intrinsics.ResolveString))
            .Order(StringComparer.Ordinal);

        var expected = DeployFiles.DocumentNames.Values
            .SelectMany(name => new[] { ":$DEFAULT", ":*" }.Select(version =>
                $"arn:aws:ssm:us-east-1:111122223333:automation-definition/{name}{version}"))
            .Order(StringComparer.Ordinal);
        Assert.Equal(expected, resources);
    }

    [Fact]
    public void TaskRole_PassRole_OnlyTheRunbookRoleAndOnlyToSsm()
    {
        var passRole = RoleStatements("TaskRole").Where(s => s.Actions.Any(a => a!.GetValue<string>() == "iam:PassRole")).ToList();

        var statement = Assert.Single(passRole);
        Assert.StartsWith("TaskRole.", statement.Location, StringComparison.Ordinal);
        Assert.Equal("<RunbookRole.Arn>", Intrinsics.ResolveString(Assert.Single(statement.Resources)));
        Assert.Equal("ssm.amazonaws.com", statement.Statement["Condition"]?["StringEquals"]?["iam:PassedToService"]?.GetValue<string>());
    }

    [Fact]
    public void TaskRole_Permissions_AreTheWorkersOwnResources()
    {
        var expected = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["sqs:ReceiveMessage"] = "<EventQueue.Arn>",
            ["sqs:DeleteMessage"] = "<EventQueue.Arn>",
            ["sqs:ChangeMessageVisibility"] = "<EventQueue.Arn>",
            ["sqs:GetQueueAttributes"] = "<EventQueue.Arn>",
            ["kms:Decrypt"] = "<EncryptionKey.Arn>",
            ["kms:GenerateDataKey"] = "<EncryptionKey.Arn>",
            // The ledger (docs/ledger.md): BatchGetItem reads; TransactWriteItems is authorized per item as Put,
            // Update and Delete.
            ["dynamodb:BatchGetItem"] = "<LedgerTable.Arn>",
            ["dynamodb:PutItem"] = "<LedgerTable.Arn>",
            ["dynamodb:UpdateItem"] = "<LedgerTable.Arn>",
            ["dynamodb:DeleteItem"] = "<LedgerTable.Arn>",
            ["ssm:GetAutomationExecution"] = "arn:aws:ssm:us-east-1:111122223333:automation-execution/*",
            ["ssm:StopAutomationExecution"] = "arn:aws:ssm:us-east-1:111122223333:automation-execution/*",
        };
        var granted = RoleStatements("TaskRole")
            .SelectMany(s => s.Actions.Select(a => (Action: a!.GetValue<string>(), Resources: s.Resources.Select(Intrinsics.ResolveString).ToList())))
            .ToList();

        foreach (var (action, resource) in expected)
        {
            var grant = Assert.Single(granted, g => g.Action == action);
            Assert.Equal([resource], grant.Resources);
        }

        // Rejected messages to the dead-letter queue; deferred events sent again to the event queue itself.
        Assert.Equal(["<DeadLetterQueue.Arn>", "<EventQueue.Arn>"], Assert.Single(granted, g => g.Action == "sqs:SendMessage").Resources);
    }

    [Fact]
    public void RunbookRole_Trust_OnlySsmAutomationOfThisAccount()
    {
        var trust = Assert.Single(RoleStatements("RunbookRole"), s => s.Location.Contains("AssumeRolePolicyDocument", StringComparison.Ordinal));

        Assert.Equal("ssm.amazonaws.com", trust.Statement["Principal"]?["Service"]?.GetValue<string>());
        Assert.Equal("111122223333", Intrinsics.ResolveString(trust.Statement["Condition"]?["StringEquals"]?["aws:SourceAccount"]));
        Assert.Equal(
            "arn:aws:ssm:*:111122223333:automation-execution/*",
            Intrinsics.ResolveString(trust.Statement["Condition"]?["ArnLike"]?["aws:SourceArn"]));
    }

    [Fact]
    public void RunbookRole_StackActions_AreScopedToTheStackNamePrefix()
    {
        var stackStatements = RoleStatements("RunbookRole")
            .Where(s => s.IsAllow && s.Actions.All(a => a!.GetValue<string>().StartsWith("cloudformation:", StringComparison.Ordinal)))
            .Where(s => !s.Resources.Any(r => r is JsonValue value && value.GetValue<string>() == "*"))
            .ToList();

        Assert.NotEmpty(stackStatements);
        foreach (var resource in stackStatements.SelectMany(s => s.Resources.Select(Intrinsics.ResolveString)))
        {
            Assert.Equal("arn:aws:cloudformation:us-east-1:111122223333:stack/app-*/*", resource);
        }
    }

    [Fact]
    public void RunbookRole_CodeBuildActions_AreOnePolicyPerProjectInScope()
    {
        var forEach = Template["Resources"]!["Fn::ForEach::RunbookRoleCodeBuildPolicies"]!.AsArray();
        Assert.Equal("CodeBuildProjectNames", forEach[1]!["Ref"]?.GetValue<string>());

        var policy = forEach[2]!.AsObject().Single().Value!;
        Assert.Equal("AWS::IAM::RolePolicy", policy["Type"]?.GetValue<string>());
        Assert.Equal("RunbookRole", policy["Properties"]?["RoleName"]?["Ref"]?.GetValue<string>());
        var statement = Assert.Single(policy["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray())!;
        Assert.Equal(
            ["codebuild:BatchGetBuilds", "codebuild:RetryBuild"],
            statement["Action"]!.AsArray().Select(a => a!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Equal(
            "arn:${AWS::Partition}:codebuild:${AWS::Region}:${AWS::AccountId}:project/${ProjectName}",
            statement["Resource"]?["Fn::Sub"]?.GetValue<string>());
    }

    // ------------------------------------------------------------------ ECS

    [Fact]
    public void TaskDefinition_Worker_IsNonRootReadOnlyAndStopsGracefully()
    {
        var worker = Container("remediation-worker");

        var user = worker["User"]?.GetValue<string>();
        Assert.False(string.IsNullOrEmpty(user));
        Assert.DoesNotContain(user.Split(':')[0], new[] { "0", "root" });
        Assert.Equal("true", worker["ReadonlyRootFilesystem"]?.GetValue<string>());
        Assert.Equal("120", worker["StopTimeout"]?.GetValue<string>());
        Assert.Equal(
            ["CMD", "/app/remediation-worker", "health"],
            worker["HealthCheck"]!["Command"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal("true", worker["Essential"]?.GetValue<string>());
    }

    [Fact]
    public void TaskDefinition_Worker_HasAWritableAuditVolume()
    {
        var worker = Container("remediation-worker");
        var volumes = Resource("TaskDefinition")["Volumes"]!.AsArray().Select(v => v!["Name"]!.GetValue<string>()).ToList();

        var audit = Assert.Single(worker["MountPoints"]!.AsArray(), m => m!["ContainerPath"]?.GetValue<string>() == "/app/audit")!;
        Assert.Equal("false", audit["ReadOnly"]?.GetValue<string>());
        Assert.Contains(audit["SourceVolume"]!.GetValue<string>(), volumes);
    }

    [Fact]
    public void TaskDefinition_Worker_EnvironmentIsExplicit()
    {
        var environment = Container("remediation-worker")["Environment"]!.AsArray()
            .ToDictionary(e => e!["Name"]!.GetValue<string>(), e => e!["Value"]!.GetValue<string>(), StringComparer.Ordinal);

        Assert.Equal("DryRun", environment["Stack__ExecutionMode"]);
        Assert.False(environment.ContainsKey("Execution__Mode"), "the stack sets the ceiling; Execution:Mode is the configuration's");
        Assert.Equal("Sqs", environment["Intake__Source"]);
        Assert.Equal("<EventQueue>", environment["Intake__QueueUrl"]);
        Assert.Equal("DynamoDb", environment["Ledger__Store"]);
        Assert.Equal("<LedgerTable>", environment["Ledger__TableName"]);
        Assert.Equal("http://localhost:4317", environment["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal("json", environment["Logging__Console__FormatterName"]);
    }

    [Fact]
    public void TaskDefinition_Worker_EveryConfigurationVariableIsAKeyOfTheSchema()
    {
        // A misspelt key is silently ignored by the configuration binder: check each against appsettings.schema.json.
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(RemediationWorker.Testing.RepositoryPaths.Root, "appsettings.schema.json")));
        var names = Container("remediation-worker")["Environment"]!.AsArray().Select(e => e!["Name"]!.GetValue<string>())
            .Where(name => name.Contains("__", StringComparison.Ordinal) && !name.StartsWith("Logging__", StringComparison.Ordinal))
            .ToList();

        Assert.Contains("Intake__Sqs__DeadLetterQueueUrl", names);
        Assert.Contains("Aws__Region", names);
        Assert.All(names, name =>
        {
            var node = schema.RootElement;
            foreach (var part in name.Split("__"))
            {
                Assert.True(
                    node.TryGetProperty("properties", out var properties) && properties.TryGetProperty(part, out node),
                    $"{name}: '{part}' is not a key of appsettings.schema.json");
            }
        });
    }

    [Fact]
    public void TaskDefinition_Logs_GoToCloudWatchThroughAwslogs()
    {
        foreach (var name in new[] { "remediation-worker", "aws-otel-collector" })
        {
            var logging = Container(name)["LogConfiguration"]!;
            Assert.Equal("awslogs", logging["LogDriver"]?.GetValue<string>());
            Assert.Equal("<WorkerLogGroup>", Intrinsics.ResolveString(logging["Options"]!["awslogs-group"]));
        }

        Assert.NotNull(Resource("WorkerLogGroup")["RetentionInDays"]);
    }

    [Fact]
    public void TaskDefinition_Collector_IsTheAdotSidecar()
    {
        var collector = Container("aws-otel-collector");

        Assert.StartsWith("public.ecr.aws/aws-observability/aws-otel-collector:", Intrinsics.ResolveString(collector["Image"]), StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:4317", Intrinsics.ResolveString(collector["Environment"]![0]!["Value"]), StringComparison.Ordinal);
        Assert.Equal("aws-otel-collector", Container("remediation-worker")["DependsOn"]![0]!["ContainerName"]?.GetValue<string>());
    }

    [Fact]
    public void Service_Fargate_RunsTheTaskDefinition()
    {
        var service = Resource("Service");

        Assert.Equal("FARGATE", service["LaunchType"]?.GetValue<string>());
        Assert.Equal("TaskDefinition", service["TaskDefinition"]?["Ref"]?.GetValue<string>());
        Assert.Equal("true", service["DeploymentConfiguration"]?["DeploymentCircuitBreaker"]?["Rollback"]?.GetValue<string>());
    }

    // ------------------------------------------------------------------ queues and table

    [Theory]
    [InlineData("EventQueue")]
    [InlineData("DeadLetterQueue")]
    public void Queue_Encryption_IsSseKmsWithTheCustomerManagedKey(string queue)
    {
        Assert.Equal("<EncryptionKey.Arn>", Intrinsics.ResolveString(Resource(queue)["KmsMasterKeyId"]));
        Assert.Equal("AWS::KMS::Key", Template["Resources"]!["EncryptionKey"]!["Type"]!.GetValue<string>());
        Assert.Equal("true", Resource("EncryptionKey")["EnableKeyRotation"]?.GetValue<string>());
    }

    [Fact]
    public void EventQueue_Redrive_GoesToTheDeadLetterQueueWhichKeepsMessagesLonger()
    {
        var queue = Resource("EventQueue");
        var redrive = queue["RedrivePolicy"]!;

        Assert.Equal("<DeadLetterQueue.Arn>", Intrinsics.ResolveString(redrive["deadLetterTargetArn"]));
        Assert.Equal("MaxReceiveCount", redrive["maxReceiveCount"]?["Ref"]?.GetValue<string>());
        Assert.True(
            int.Parse(Resource("DeadLetterQueue")["MessageRetentionPeriod"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)
            > int.Parse(queue["MessageRetentionPeriod"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("EventQueuePolicy", "<EventQueue>", "<EventQueue.Arn>")]
    [InlineData("DeadLetterQueuePolicy", "<DeadLetterQueue>", "<DeadLetterQueue.Arn>")]
    public void QueuePolicy_Senders_AreOnlyThisStacksRules(string policy, string queueUrl, string queueArn)
    {
        var properties = Resource(policy);
        var statement = Assert.Single(properties["PolicyDocument"]!["Statement"]!.AsArray())!;
        var rules = Resources("AWS::Events::Rule").Select(r => $"<{r.Name}.Arn>").Order(StringComparer.Ordinal);

        Assert.Equal([queueUrl], properties["Queues"]!.AsArray().Select(Intrinsics.ResolveString));
        Assert.Equal("events.amazonaws.com", statement["Principal"]?["Service"]?.GetValue<string>());
        Assert.Equal("sqs:SendMessage", statement["Action"]?.GetValue<string>());
        Assert.Equal(queueArn, Intrinsics.ResolveString(statement["Resource"]));
        Assert.Equal(rules, statement["Condition"]!["ArnEquals"]!["aws:SourceArn"]!.AsArray().Select(Intrinsics.ResolveString).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void LedgerTable_Schema_HasKeysTtlPointInTimeRecoveryKmsAndOnDemand()
    {
        var table = Resource("LedgerTable");

        Assert.Equal("PAY_PER_REQUEST", table["BillingMode"]?.GetValue<string>());
        Assert.Equal(
            ["pk:S", "sk:S"],
            table["AttributeDefinitions"]!.AsArray().Select(a => $"{a!["AttributeName"]}:{a["AttributeType"]}"));
        Assert.Equal(
            ["pk:HASH", "sk:RANGE"],
            table["KeySchema"]!.AsArray().Select(k => $"{k!["AttributeName"]}:{k["KeyType"]}"));
        Assert.Equal("expiresAt", table["TimeToLiveSpecification"]?["AttributeName"]?.GetValue<string>());
        Assert.Equal("true", table["TimeToLiveSpecification"]?["Enabled"]?.GetValue<string>());
        Assert.Equal("true", table["PointInTimeRecoverySpecification"]?["PointInTimeRecoveryEnabled"]?.GetValue<string>());
        Assert.Equal("KMS", table["SSESpecification"]?["SSEType"]?.GetValue<string>());
        Assert.Equal("<EncryptionKey.Arn>", Intrinsics.ResolveString(table["SSESpecification"]?["KMSMasterKeyId"]));
    }

    // ------------------------------------------------------------------ event rules

    [Theory]
    [MemberData(nameof(PatternRules))]
    public void EventRule_EventPattern_IsValidUnderTheProjectsPatternEngine(string rule)
    {
        var pattern = EventPattern.Parse(PatternJson(rule));

        Assert.Contains("source", pattern.GuaranteedFields);
        Assert.Contains("detail-type", pattern.GuaranteedFields);
    }

    [Theory]
    [InlineData("stack-update-rollback-failed", "RollbackFailedRule")]
    [InlineData("drift-drifted", "DriftDetectedRule")]
    [InlineData("build-failed", "BuildFailedRule")]
    [InlineData("stack-create-complete", null)]
    [InlineData("stack-update-rollback-failed-out-of-scope", null)]
    [InlineData("stack-update-rollback-failed-other-region", null)]
    [InlineData("drift-in-sync", null)]
    [InlineData("drift-drifted-out-of-scope", null)]
    [InlineData("build-succeeded", null)]
    [InlineData("build-failed-out-of-scope", null)]
    public void EventRule_FixtureEvent_MatchesOnlyTheRuleForItsFault(string fixture, string? expectedRule)
    {
        var matcher = PatternMatcher.Compile(RulesWithPatterns.Select(r => EventPattern.Parse(PatternJson(r))).ToList());
        var matches = new List<int>();

        Assert.True(matcher.TryMatch(Encoding.UTF8.GetBytes(FixtureEvents.All[fixture]), matches, out var error), error?.Message);
        Assert.Equal(expectedRule is null ? Array.Empty<string>() : [expectedRule], matches.Select(i => RulesWithPatterns[i]));
    }

    [Fact]
    public void EventRules_EveryRule_TargetsTheQueueWithTheDeadLetterQueue()
    {
        foreach (var (name, properties) in Resources("AWS::Events::Rule"))
        {
            var target = Assert.Single(properties["Targets"]!.AsArray())!;
            Assert.Equal("<EventQueue.Arn>", Intrinsics.ResolveString(target["Arn"]));
            Assert.Equal("<DeadLetterQueue.Arn>", Intrinsics.ResolveString(target["DeadLetterConfig"]?["Arn"]));
            Assert.Equal("ENABLED", properties["State"]?.GetValue<string>());
            Assert.True(properties["EventPattern"] is not null ^ properties["ScheduleExpression"] is not null, name);
        }
    }

    [Fact]
    public void DriftSweepSchedule_InputTemplate_RendersTheSyntheticEventTheWorkerMatches()
    {
        var target = Resource("DriftSweepScheduleRule")["Targets"]![0]!;
        var template = Intrinsics.ResolveString(target["InputTransformer"]!["InputTemplate"]);
        var scheduled = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["id"] = "\"53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa\"",
            ["time"] = "\"2026-03-02T00:00:00Z\"",
            ["account"] = "\"111122223333\"",
            ["region"] = "\"us-east-1\"",
            ["resources"] = "[\"arn:aws:events:us-east-1:111122223333:rule/remediation-worker-DriftSweepScheduleRule-1A2B3C\"]",
        };
        Assert.Equal(
            scheduled.Keys.Order(StringComparer.Ordinal),
            target["InputTransformer"]!["InputPathsMap"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        var rendered = scheduled.Aggregate(template, (text, path) => text.Replace($"<{path.Key}>", path.Value, StringComparison.Ordinal));

        var synthetic = JsonNode.Parse(rendered)!;
        Assert.Equal("53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa", synthetic["id"]?.GetValue<string>());
        Assert.Equal("app-", synthetic["detail"]?["stack-name-prefix"]?.GetValue<string>());
        var playbookPattern = EventPattern.Parse("""{"source":["remediation-worker.schedule"],"detail-type":["Drift Sweep Requested"]}""");
        var matches = new List<int>();
        Assert.True(PatternMatcher.Compile([playbookPattern]).TryMatch(Encoding.UTF8.GetBytes(rendered), matches, out var error), error?.Message);
        Assert.Equal([0], matches);
    }

    // ------------------------------------------------------------------ helpers

    private static IEnumerable<(string Name, JsonObject Properties)> Resources(string type) =>
        Template["Resources"]!.AsObject()
            .Where(r => r.Value is JsonObject resource && resource["Type"]?.GetValue<string>() == type)
            .Select(r => (r.Key, r.Value!["Properties"]!.AsObject()));

    internal static JsonObject Resource(string name) => Template["Resources"]![name]!["Properties"]!.AsObject();

    internal static IEnumerable<PolicyStatement> RoleStatements(string role) =>
        Statements.Where(s => s.Location.StartsWith(role + ".", StringComparison.Ordinal));

    /// <summary>A container as deployed with <see cref="Intrinsics"/>' parameters (the collector on), intrinsics resolved.</summary>
    private static JsonObject Container(string name) =>
        Intrinsics.Resolve(Resource("TaskDefinition")["ContainerDefinitions"])!.AsArray().Single(c => c!["Name"]?.GetValue<string>() == name)!.AsObject();

    internal static string PatternJson(string rule) => Intrinsics.Resolve(Resource(rule)["EventPattern"])!.ToJsonString();
}
