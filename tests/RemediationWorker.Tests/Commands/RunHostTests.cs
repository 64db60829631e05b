using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Trace;
using RemediationWorker.Commands;

namespace RemediationWorker.Tests.Commands;

public sealed class RunHostTests
{
    [Fact]
    public void ConfigureHost_Defaults_NoExport()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());

        RunCommand.ConfigureHost(builder);

        using var host = builder.Build();
        Assert.Null(host.Services.GetService<TracerProvider>());
    }

    [Theory]
    [InlineData(null, 28)]       // the default grace, 20 s, then 8 s for the last deletes and the audit flush
    [InlineData("00:01:50", 118)] // the longest grace: still below the task's stopTimeout of 120 s
    public void AddRemediationWorker_ShutdownTimeout_IsTheGraceThenTheLastDeletes(string? grace, int seconds)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection([new("Intake:Source", "Sqs"), new("Intake:Sqs:ShutdownGrace", grace)]);
        builder.Services.AddRemediationWorker(builder.Configuration);
        RunCommand.ConfigureHost(builder);

        using var host = builder.Build();
        Assert.Equal(TimeSpan.FromSeconds(seconds), host.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
    }

    [Fact]
    public void ConfigureHost_OtlpEndpointVariable_AddsTracerProvider()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection([new("OTEL_EXPORTER_OTLP_ENDPOINT", "http://localhost:4317")]);

        RunCommand.ConfigureHost(builder);

        Assert.Contains(builder.Services, d => d.ServiceType == typeof(TracerProvider));
    }
}
