using System.Diagnostics.Metrics;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement.Model;
using Amazon.SQS.Model;
using Microsoft.Extensions.DependencyInjection;
using RemediationWorker.Diagnostics;
using RemediationWorker.Testing;

namespace RemediationWorker.Tests.Diagnostics;

public sealed class AwsCallMetricsTests
{
    [Fact]
    public void OperationOf_RequestType_IsTheApiName()
    {
        Assert.Equal("ReceiveMessage", AwsCallMetrics.OperationOf(new ReceiveMessageRequest()));
        Assert.Equal("StartAutomationExecution", AwsCallMetrics.OperationOf(new StartAutomationExecutionRequest()));
        Assert.Equal(WorkerMetrics.None, AwsCallMetrics.OperationOf(null));
    }

    [Fact]
    public void ResultOf_ThrottlingAndOtherErrors_AreTold()
    {
        Assert.Equal("ok", AwsCallMetrics.ResultOf(null));
        Assert.Equal("throttled", AwsCallMetrics.ResultOf(new AmazonServiceException("Rate exceeded") { ErrorCode = "ThrottlingException" }));
        Assert.Equal("error", AwsCallMetrics.ResultOf(new AmazonServiceException("boom") { ErrorCode = "InternalServerError" }));
    }

    [Fact]
    public void AwsCall_ThrottledSsmStart_CountsTheCallAndTheThrottle()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new WorkerMetrics(services.GetRequiredService<IMeterFactory>());
        using var recorder = new MetricRecorder(metrics.Meter);

        metrics.AwsCall("ssm", "StartAutomationExecution", "throttled");
        metrics.AwsCall("ssm", "GetAutomationExecution", "ok");

        Assert.Equal(
            ["StartAutomationExecution/throttled", "GetAutomationExecution/ok"],
            recorder.Measurements.Where(m => m.Name == "remediation.ssm.calls").Select(m => $"{m.Tags["operation"]}/{m.Tags["result"]}"));
        var throttle = Assert.Single(recorder.Measurements, m => m.Name == "remediation.aws.throttles");
        Assert.Equal("ssm", throttle.Tags["service"]);
        Assert.Equal("StartAutomationExecution", throttle.Tags["operation"]);
    }

    [Fact]
    public void AwsCall_UnknownService_IsRefused()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new WorkerMetrics(services.GetRequiredService<IMeterFactory>());

        Assert.Throws<ArgumentOutOfRangeException>(() => metrics.AwsCall("s3", "GetObject", "ok"));
    }
}
