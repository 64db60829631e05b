using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using RemediationWorker.Diagnostics;
using RemediationWorker.Intake;
using MetricRecorder = RemediationWorker.Testing.MetricRecorder;
using RemediationWorker.Tests.TestSupport;

namespace RemediationWorker.Tests.Diagnostics;

public sealed class TelemetryTests
{
    [Fact]
    public async Task ProcessAsync_ShippedSamples_CountsReceivedMatchedDecisionsAndRuns()
    {
        await using var worker = new WorkerFixture(TestConfiguration.Shipped());
        using var recorder = new MetricRecorder(worker.Get<WorkerMetrics>().Meter);

        foreach (var incoming in EventFileReader.Read(RepositoryPaths.SampleEvents, 1024 * 1024))
        {
            await worker.ProcessAsync(incoming);
        }

        long Sum(string name, Func<Dictionary<string, object?>, bool>? where = null) =>
            recorder.Measurements.Where(m => m.Name == name && (where is null || where(m.Tags))).Sum(m => m.Value);

        var samples = Directory.GetFiles(RepositoryPaths.SampleEvents).Length;
        Assert.Equal(samples, Sum("remediation.events.received"));
        Assert.Equal(2, Sum("remediation.events.received", t => (string?)t["event.source"] == "none"));
        Assert.Equal(5, Sum("remediation.events.matched"));
        Assert.Equal(2, Sum("remediation.events.matched", t => (string?)t["playbook"] == "stack-rollback-continue"));
        Assert.Equal(4, Sum("remediation.decisions", t => (string?)t["decision"] == "planned"));
        Assert.Equal(4, Sum("remediation.decisions", t => (string?)t["decision"] == "no-match" && (string?)t["playbook"] == "none"));
        Assert.Equal(2, Sum("remediation.decisions", t => (string?)t["decision"] == "rejected"));
        Assert.Equal(1, Sum("remediation.decisions", t => (string?)t["decision"] == "skipped" && (string?)t["guard"] == "parameters" && (string?)t["playbook"] == "stack-rollback-continue"));
        Assert.Equal(samples, Sum("remediation.decisions"));
        Assert.Equal(4, Sum("remediation.runs.started", t => (string?)t["mode"] == "DryRun"));
        Assert.Equal(4, Sum("remediation.runs.outcomes", t => (string?)t["outcome"] == "planned"));
        Assert.Equal(1, Sum("remediation.runs.outcomes", t => (string?)t["playbook"] == "codebuild-transient-retry"));
    }

    [Fact]
    public async Task ProcessAsync_ShippedSamples_OneActivityPerEventWithIdSourcePlaybookDecision()
    {
        await using var worker = new WorkerFixture(TestConfiguration.Shipped());
        using var parent = new Activity("test").Start();
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = Listen(activity =>
        {
            if (activity.TraceId == parent.TraceId)
            {
                stopped.Enqueue(activity);
            }
        });

        var inputs = EventFileReader.Read(RepositoryPaths.SampleEvents, 1024 * 1024).ToList();
        foreach (var incoming in inputs)
        {
            await worker.ProcessAsync(incoming);
        }

        Assert.Equal(inputs.Count, stopped.Count);
        Assert.All(stopped, a => Assert.Equal(WorkerTelemetry.ProcessEventActivityName, a.OperationName));
        Assert.All(stopped, a => Assert.Equal(ActivityKind.Consumer, a.Kind));
        var retry = Assert.Single(stopped, a => (string?)a.GetTagItem("event.id") == "e5f6a7b8-c9d0-4e1f-8a2b-3c4d5e6f7a8b");
        Assert.Equal("aws.codebuild", retry.GetTagItem("event.source"));
        Assert.Equal("codebuild-transient-retry", retry.GetTagItem("playbook"));
        Assert.Equal("planned", retry.GetTagItem("decision"));
        Assert.Equal(2, stopped.Count(a => (string?)a.GetTagItem("decision") == "rejected" && a.GetTagItem("event.id") is null));
        Assert.Equal(4, stopped.Count(a => (string?)a.GetTagItem("decision") == "no-match" && a.GetTagItem("playbook") is null));
    }

    [Fact]
    public async Task ProcessAsync_AwsTraceHeaderParent_ActivityContinuesThatTrace()
    {
        await using var worker = new WorkerFixture(TestConfiguration.Shipped());
        Assert.True(AwsTraceHeader.TryGetParentContext("Root=1-6a1b2c3d-0123456789abcdef01234567;Parent=1122334455667788;Sampled=1", out var context));
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = Listen(activity =>
        {
            if (activity.TraceId == context.TraceId)
            {
                stopped.Enqueue(activity);
            }
        });

        await worker.ProcessAsync(TestEvents.Incoming(TestEvents.Sample("codebuild-failed-provisioning.json")) with { TraceParent = context });

        var activity = Assert.Single(stopped);
        Assert.Equal("6a1b2c3d0123456789abcdef01234567", activity.TraceId.ToHexString());
        Assert.Equal(context.SpanId, activity.ParentSpanId);
        Assert.True(activity.HasRemoteParent);
    }

    [Fact]
    public void AddOtlpExportIfConfigured_NoEndpoint_AddsNoExport()
    {
        var services = new ServiceCollection();

        Assert.False(services.AddOtlpExportIfConfigured(new ConfigurationBuilder().Build()));
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(TracerProvider));
    }

    [Theory]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT")]
    [InlineData("Telemetry:OtlpEndpoint")]
    public void AddOtlpExportIfConfigured_EndpointSet_AddsTracerProvider(string key)
    {
        var services = new ServiceCollection();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new(key, "http://localhost:4317")]).Build();

        Assert.True(services.AddOtlpExportIfConfigured(configuration));
        Assert.Contains(services, d => d.ServiceType == typeof(TracerProvider));
        Assert.Equal("http://localhost:4317", TelemetryExport.ResolveEndpoint(configuration));
    }

    [Fact]
    public void AddOtlpExportIfConfigured_NotAnUri_Throws()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("Telemetry:OtlpEndpoint", "localhost:4317 ")]).Build();

        Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => new ServiceCollection().AddOtlpExportIfConfigured(configuration));
    }

    [Fact]
    public void Meter_EveryInstrument_ListedInOperationsDoc()
    {
        using var provider = new ServiceCollection().AddMetrics().AddSingleton<WorkerMetrics>().BuildServiceProvider();
        var meter = provider.GetRequiredService<WorkerMetrics>().Meter;
        var names = new List<string>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (ReferenceEquals(instrument.Meter, meter))
                {
                    names.Add(instrument.Name);
                }
            },
        };
        listener.Start();

        var doc = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "operations.md"));
        Assert.Equal(WorkerMetrics.MeterName, meter.Name);
        Assert.Equal(11, names.Count);
        Assert.All(names, name => Assert.Contains($"| `{name}` |", doc));
    }

    private static ActivityListener Listen(Action<Activity> stopped)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == WorkerTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
