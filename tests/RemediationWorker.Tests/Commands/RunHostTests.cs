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
    public void ConfigureHost_Defaults_ShutdownBelowEcsStopTimeoutAndNoExport()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());

        RunCommand.ConfigureHost(builder);

        using var host = builder.Build();
        Assert.Equal(TimeSpan.FromSeconds(100), host.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
        Assert.Null(host.Services.GetService<TracerProvider>());
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
