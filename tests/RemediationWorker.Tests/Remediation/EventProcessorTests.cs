using System.Text;
using System.Text.Json.Nodes;
using RemediationWorker.Audit;
using RemediationWorker.Guards;
using RemediationWorker.Intake;
using RemediationWorker.Tests.TestSupport;

namespace RemediationWorker.Tests.Remediation;

public sealed class EventProcessorTests
{
    [Fact]
    public async Task ProcessAsync_ShippedSamples_ThreeFaultsPlannedLookAlikesIgnoredMalformedRejected()
    {
        await using var worker = new WorkerFixture(TestConfiguration.Shipped());
        var verdicts = new Dictionary<string, (AuditDecision Decision, string? Playbook, string? Guard)>();

        foreach (var incoming in EventFileReader.Read(RepositoryPaths.SampleEvents, 1024 * 1024))
        {
            var verdict = Assert.Single((await worker.ProcessAsync(incoming)).Verdicts);
            verdicts[incoming.Name] = (verdict.Decision, verdict.Playbook, verdict.Guard);
        }

        Assert.Equal((AuditDecision.Planned, "stack-drift-revert", null), verdicts["cfn-drift-detected.json"]);
        Assert.Equal((AuditDecision.Planned, "stack-rollback-continue", null), verdicts["cfn-stack-update-rollback-failed.json"]);
        Assert.Equal((AuditDecision.Planned, "codebuild-transient-retry", null), verdicts["codebuild-failed-provisioning.json"]);
        Assert.Equal((AuditDecision.Planned, "drift-sweep", null), verdicts["schedule-drift-sweep-requested.json"]);
        Assert.Equal(AuditDecision.NoMatch, verdicts["cfn-drift-in-sync.json"].Decision);
        Assert.Equal(AuditDecision.NoMatch, verdicts["cfn-stack-create-complete.json"].Decision);
        Assert.Equal(AuditDecision.NoMatch, verdicts["codebuild-failed-in-build.json"].Decision);
        Assert.Equal(AuditDecision.NoMatch, verdicts["codebuild-succeeded.json"].Decision);
        Assert.Equal((AuditDecision.Skipped, "stack-rollback-continue", GuardNames.Parameters), verdicts["cfn-stack-update-rollback-failed-injection.json"]);
        Assert.Equal(AuditDecision.Rejected, verdicts["malformed-not-json.json"].Decision);
        Assert.Equal(AuditDecision.Rejected, verdicts["malformed-not-an-event.json"].Decision);
        Assert.Empty(worker.Audit.Of(AuditDecision.Started));
    }

    [Fact]
    public async Task ProcessAsync_Planned_AuditsExactDocumentParametersAndEventFields()
    {
        await using var worker = new WorkerFixture(TestConfiguration.Shipped());

        await worker.ProcessAsync(TestEvents.Sample("codebuild-failed-provisioning.json"));

        var planned = Assert.Single(worker.Audit.Of(AuditDecision.Planned));
        Assert.Equal("RemediationWorker-RetryCodeBuildBuild", planned.DocumentName);
        Assert.Equal("$DEFAULT", planned.DocumentVersion);
        Assert.Equal("DryRun", planned.Mode);
        Assert.Equal("arn:aws:codebuild:eu-west-1:111122223333:build/web-frontend-ci:5b8c6f1e-2d4a-4c3b-9e8f-7a6b5c4d3e2f", planned.Parameters!["BuildId"]);
        Assert.Equal("web-frontend-ci", planned.Parameters["ProjectName"]);
        Assert.Equal("arn:aws:iam::111122223333:role/RemediationWorkerRunbookRole", planned.Parameters["AutomationAssumeRole"]);
        Assert.Equal(3, planned.Parameters.Count);
        Assert.Equal("web-frontend-ci", planned.Resource);
        Assert.Equal("e5f6a7b8-c9d0-4e1f-8a2b-3c4d5e6f7a8b", planned.EventId);
        Assert.Equal("aws.codebuild", planned.Source);
        Assert.Equal("CodeBuild Build State Change", planned.DetailType);
        Assert.Equal(TestEvents.Account, planned.Account);
        Assert.Equal(TestEvents.Region, planned.Region);
        Assert.Equal(worker.Catalog.Current.Hash, planned.ConfigHash);
        Assert.Equal("test-worker", planned.WorkerId);
        Assert.Equal(WorkerFixture.Start, planned.Time);
        Assert.Equal(
            [AuditDecision.Received, AuditDecision.Matched, AuditDecision.Planned],
            worker.Audit.Records.Select(r => r.Decision));
    }

    [Fact]
    public async Task ProcessAsync_AnyEvent_FlushesEveryRecordBeforeReturning()
    {
        await using var worker = new WorkerFixture(TestConfiguration.Shipped());

        foreach (var name in new[] { "cfn-drift-detected.json", "cfn-drift-in-sync.json", "malformed-not-json.json" })
        {
            var incoming = new IncomingEvent(name, File.ReadAllBytes(RepositoryPaths.Sample(name)));
            await worker.ProcessAsync(incoming);
            Assert.Equal(worker.Audit.Records.Count, worker.Audit.FlushedAt[^1]);
        }
    }

    public static TheoryData<string, string, string> BadInputs() => new()
    {
        { "not JSON", "{\"id\": \"x\", ", "malformed-json" },
        { "not an object", "[1, 2, 3]", "not a JSON object" },
        { "not an event", """{"Type":"Notification","Message":"hello"}""", "not an EventBridge event: no id, source, detail-type" },
        { "detail not an object", """{"id":"1","source":"s","detail-type":"d","account":"111122223333","region":"eu-west-1","time":"2026-11-26T08:00:00Z","detail":"x"}""", "no detail" },
        { "bad time", """{"id":"1","source":"s","detail-type":"d","account":"111122223333","region":"eu-west-1","time":"yesterday","detail":{}}""", "is not an ISO 8601 timestamp" },
        { "too deep", DeepEvent(100), "nested deeper than 64 levels" },
        { "empty", "", "malformed-json" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task ProcessAsync_BadInput_RejectedWithReasonNeverPlanned(string kind, string body, string reason)
    {
        await using var worker = new WorkerFixture(TestConfiguration.Shipped());

        var result = await worker.ProcessAsync(TestEvents.Incoming(body, kind));

        Assert.Equal(EventOutcome.Rejected, result.Outcome);
        var rejected = Assert.Single(worker.Audit.Records);
        Assert.Equal(AuditDecision.Rejected, rejected.Decision);
        Assert.Contains(reason, rejected.Reason, StringComparison.Ordinal);
        Assert.Equal(worker.Catalog.Current.Hash, rejected.ConfigHash);
    }

    [Fact]
    public async Task ProcessAsync_TooLarge_RejectedBeforeParsing()
    {
        await using var worker = new WorkerFixture(TestConfiguration.Shipped());
        var e = TestEvents.RollbackFailed(WorkerFixture.Start);
        e["detail"]!["padding"] = new string('x', 1024 * 1024);

        var result = await worker.ProcessAsync(e);

        Assert.Equal(EventOutcome.Rejected, result.Outcome);
        Assert.StartsWith("too-large: ", Assert.Single(worker.Audit.Records).Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("arn:aws:cloudformation:eu-west-1:111122223333:stack/orders; rm -rf /")]
    [InlineData("arn:aws:cloudformation:eu-west-1:111122223333:stack/orders/$(curl evil)")]
    public async Task ProcessAsync_InjectionInTemplateField_SkippedByParameterCheck(string stackId)
    {
        await using var worker = new WorkerFixture(TestConfiguration.Shipped());

        var result = await worker.ProcessAsync(TestEvents.RollbackFailed(WorkerFixture.Start, stackId));

        var verdict = Assert.Single(result.Verdicts);
        Assert.Equal(AuditDecision.Skipped, verdict.Decision);
        Assert.Equal(GuardNames.Parameters, verdict.Guard);
        Assert.StartsWith("parameter StackName: value ", verdict.Reason, StringComparison.Ordinal);
        Assert.Empty(worker.Audit.Of(AuditDecision.Planned));
        Assert.All(worker.Audit.Records, r => Assert.Null(r.Parameters));
    }

    [Fact]
    public async Task ProcessAsync_ValueWithTrailingNewline_SkippedAsWholeValueMismatch()
    {
        await using var worker = new WorkerFixture(TestConfiguration.Shipped());

        var result = await worker.ProcessAsync(TestEvents.RollbackFailed(WorkerFixture.Start, TestEvents.OrdersStack + "\n"));

        Assert.Equal(GuardNames.Parameters, Assert.Single(result.Verdicts).Guard);
    }

    [Fact]
    public async Task ProcessAsync_TenKilobyteTemplateValue_SkippedWithShortReason()
    {
        await using var worker = new WorkerFixture(TestConfiguration.Shipped());
        var stackId = "arn:aws:cloudformation:eu-west-1:111122223333:stack/" + new string('a', 10_240);

        var result = await worker.ProcessAsync(TestEvents.RollbackFailed(WorkerFixture.Start, stackId));

        var verdict = Assert.Single(result.Verdicts);
        Assert.Equal(GuardNames.Parameters, verdict.Guard);
        Assert.Contains("longer than maxLength 256", verdict.Reason, StringComparison.Ordinal);
        Assert.True(verdict.Reason!.Length < 300);
        Assert.Empty(worker.Audit.Of(AuditDecision.Planned));
    }

    [Fact]
    public async Task ProcessAsync_TemplateFieldNullInEvent_SkippedNotPlanned()
    {
        var playbook = TestConfiguration.Playbook(TestConfiguration.ShippedJson(), "stack-rollback-continue");
        playbook["pattern"]!["detail"]!["client-request-token"] = new JsonArray(new JsonObject { ["exists"] = true });
        playbook["runbook"]!["parameters"]!["Token"] = new JsonObject { ["value"] = "{{detail.client-request-token}}", ["allowedPattern"] = "[A-Za-z0-9-]*" };
        await using var worker = new WorkerFixture(TestConfiguration.FromJson(TestConfiguration.WithPlaybooks(playbook)));
        var e = TestEvents.RollbackFailed(WorkerFixture.Start);
        e["detail"]!["client-request-token"] = null;

        var result = await worker.ProcessAsync(e);

        Assert.Empty(worker.Audit.Of(AuditDecision.Planned));
        var verdict = Assert.Single(result.Verdicts);
        Assert.Equal(AuditDecision.Skipped, verdict.Decision); // exists: true matches a null, as in event-ruler
        Assert.Equal(GuardNames.Parameters, verdict.Guard);
        Assert.Contains("detail.client-request-token is null, not a value", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProcessAsync_TwoPlaybooksMatch_FirstWins()
    {
        var (first, second) = TwoRollbackPlaybooks(firstContinues: false);
        await using var worker = new WorkerFixture(TestConfiguration.FromJson(TestConfiguration.WithPlaybooks(first, second)));

        var result = await worker.ProcessAsync(TestEvents.RollbackFailed(WorkerFixture.Start));

        Assert.Equal(["first"], result.Verdicts.Select(v => v.Playbook));
        Assert.Single(worker.Audit.Of(AuditDecision.Matched));
    }

    [Fact]
    public async Task ProcessAsync_FirstSaysContinue_BothAct()
    {
        var (first, second) = TwoRollbackPlaybooks(firstContinues: true);
        await using var worker = new WorkerFixture(TestConfiguration.FromJson(TestConfiguration.WithPlaybooks(first, second)));

        var result = await worker.ProcessAsync(TestEvents.RollbackFailed(WorkerFixture.Start));

        Assert.Equal(["first", "second"], result.Verdicts.Select(v => v.Playbook));
        Assert.All(result.Verdicts, v => Assert.Equal(AuditDecision.Planned, v.Decision));
    }

    [Fact]
    public async Task ProcessAsync_FirstDisabled_NextMatchingWins()
    {
        var (first, second) = TwoRollbackPlaybooks(firstContinues: false);
        first["enabled"] = false;
        await using var worker = new WorkerFixture(TestConfiguration.FromJson(TestConfiguration.WithPlaybooks(first, second)));

        var result = await worker.ProcessAsync(TestEvents.RollbackFailed(WorkerFixture.Start));

        Assert.Equal(["second"], result.Verdicts.Select(v => v.Playbook));
    }

    internal static string DeepEvent(int depth)
    {
        var builder = new StringBuilder("""{"id":"1","source":"s","detail-type":"d","account":"111122223333","region":"eu-west-1","time":"2026-11-26T08:00:00Z","detail":""");
        builder.Append(string.Concat(Enumerable.Repeat("{\"a\":", depth))).Append('1').Append('}', depth).Append('}');
        return builder.ToString();
    }

    private static (JsonObject First, JsonObject Second) TwoRollbackPlaybooks(bool firstContinues)
    {
        var first = TestConfiguration.Playbook(TestConfiguration.ShippedJson(), "stack-rollback-continue");
        var second = TestConfiguration.Playbook(TestConfiguration.ShippedJson(), "stack-rollback-continue");
        first["id"] = "first";
        first["continue"] = firstContinues;
        second["id"] = "second";
        return (first, second);
    }
}
