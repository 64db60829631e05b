using System.Text.Json;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using RemediationWorker.Escalation;
using RemediationWorker.Tests.Execution;

namespace RemediationWorker.Tests.Escalation;

public sealed class SsmOpsItemEscalationSinkTests : IDisposable
{
    private const string Stack = "arn:aws:cloudformation:eu-west-1:111122223333:stack/app/1";
    private readonly ExecutionTestHost _host = new();

    [Fact]
    public void CreateRequest_Escalation_HoldsDedupEventAttemptsAndExecutionIds()
    {
        var request = SsmOpsItemEscalationSink.CreateRequest(Request());

        Assert.Equal("RemediationWorker", request.Source);
        Assert.Equal("2", request.Severity);
        using var dedup = JsonDocument.Parse(request.OperationalData["/aws/dedup"].Value);
        Assert.Equal($"remediation:stack-rollback-failed:{Stack}", dedup.RootElement.GetProperty("dedupString").GetString());
        Assert.Equal(OpsItemDataType.SearchableString, request.OperationalData["/aws/dedup"].Type);
        using var attempts = JsonDocument.Parse(request.OperationalData["remediation:attempts"].Value);
        Assert.Equal(3, attempts.RootElement.GetProperty("count").GetInt32());
        Assert.Equal(ExecutionTestHost.ExecutionId, attempts.RootElement.GetProperty("executionIds")[0].GetString());
        Assert.Contains("6a7e8feb", request.OperationalData["remediation:event"].Value, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateRequest_ResourceNotAnArn_OnlyInTheDescriptionNotInRelatedResources()
    {
        var request = SsmOpsItemEscalationSink.CreateRequest(Request() with { Resource = "app-" }); // a sweep's prefix

        Assert.False(request.OperationalData.ContainsKey("/aws/resources"));
        Assert.Contains("Resource: app-", request.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateRequest_ResourceAnArn_InRelatedResources()
    {
        var request = SsmOpsItemEscalationSink.CreateRequest(Request());

        using var resources = JsonDocument.Parse(request.OperationalData["/aws/resources"].Value);
        Assert.Equal(Stack, resources.RootElement[0].GetProperty("arn").GetString());
    }

    [Fact]
    public async Task EscalateAsync_Created_ReturnsOpsItemId()
    {
        _host.Ssm.CreateOpsItemAsync(Arg.Any<CreateOpsItemRequest>(), Arg.Any<CancellationToken>()).Returns(new CreateOpsItemResponse { OpsItemId = "oi-0123456789ab" });

        Assert.Equal("oi-0123456789ab", await _host.Get<SsmOpsItemEscalationSink>().EscalateAsync(Request(), CancellationToken.None));
    }

    [Fact]
    public async Task EscalateAsync_AlreadyExists_ReturnsExistingId()
    {
        _host.Ssm.CreateOpsItemAsync(Arg.Any<CreateOpsItemRequest>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new OpsItemAlreadyExistsException("exists") { OpsItemId = "oi-existing0001" });

        Assert.Equal("oi-existing0001", await _host.Get<SsmOpsItemEscalationSink>().EscalateAsync(Request(), CancellationToken.None));
    }

    public void Dispose() => _host.Dispose();

    private static EscalationRequest Request() => new(
        "6a7e8feb-b491-4cf7-a9f1-bf3703467718", "aws.cloudformation", "CloudFormation Stack Status Change", "stack-rollback-failed", Stack,
        "3 attempts in 6 h", 3, [ExecutionTestHost.ExecutionId], "2", "Recovery", "{\"id\":\"6a7e8feb-b491-4cf7-a9f1-bf3703467718\"}");
}
