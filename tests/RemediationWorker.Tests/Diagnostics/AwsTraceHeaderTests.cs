using System.Diagnostics;
using RemediationWorker.Diagnostics;

namespace RemediationWorker.Tests.Diagnostics;

public sealed class AwsTraceHeaderTests
{
    [Fact]
    public void TryGetParentContext_SqsSampleHeader_W3CTraceIdFromTimeAndRandomAndParentSpan()
    {
        Assert.True(AwsTraceHeader.TryGetParentContext("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1", out var context));

        Assert.Equal("5759e988bd862e3fe1be46a994272793", context.TraceId.ToHexString());
        Assert.Equal("53995c3f42cd8ad8", context.SpanId.ToHexString());
        Assert.Equal(ActivityTraceFlags.Recorded, context.TraceFlags);
        Assert.True(context.IsRemote);
    }

    [Theory]
    [InlineData("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0")]
    [InlineData("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=?")]
    [InlineData("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8")]
    public void TryGetParentContext_NotSampled_NotRecorded(string header)
    {
        Assert.True(AwsTraceHeader.TryGetParentContext(header, out var context));

        Assert.Equal(ActivityTraceFlags.None, context.TraceFlags);
    }

    [Fact]
    public void TryGetParentContext_ReorderedSpacedUppercaseWithLineage_Parsed()
    {
        Assert.True(AwsTraceHeader.TryGetParentContext(" Sampled=1 ; Parent=53995C3F42CD8AD8 ;Lineage=a87bd80c:1|68fd508a:5; Root=1-5759E988-BD862E3FE1BE46A994272793", out var context));

        Assert.Equal("5759e988bd862e3fe1be46a994272793", context.TraceId.ToHexString());
        Assert.Equal("53995c3f42cd8ad8", context.SpanId.ToHexString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Root=1-5759e988-bd862e3fe1be46a994272793")]
    [InlineData("Parent=53995c3f42cd8ad8;Sampled=1")]
    [InlineData("Root=2-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8")]
    [InlineData("Root=1-5759e988bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8")]
    [InlineData("Root=1-5759e98g-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8")]
    [InlineData("Root=1-5759e988-bd862e3fe1be46a99427279;Parent=53995c3f42cd8ad8")]
    [InlineData("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad")]
    [InlineData("Root=1-00000000-000000000000000000000000;Parent=53995c3f42cd8ad8")]
    [InlineData("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=0000000000000000")]
    public void TryGetParentContext_MissingOrMalformed_False(string? header)
    {
        Assert.False(AwsTraceHeader.TryGetParentContext(header, out var context));

        Assert.Equal(default, context);
    }
}
