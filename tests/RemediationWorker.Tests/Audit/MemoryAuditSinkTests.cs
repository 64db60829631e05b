using RemediationWorker.Audit;

namespace RemediationWorker.Tests.Audit;

public sealed class MemoryAuditSinkTests
{
    [Fact]
    public async Task FlushAsync_AfterWrites_FlushedCountCoversThem()
    {
        var sink = new MemoryAuditSink();
        await sink.WriteAsync(AuditTestData.Record(AuditTestData.Start), CancellationToken.None);
        await sink.FlushAsync(CancellationToken.None);

        await sink.WriteAsync(AuditTestData.Record(AuditTestData.Start, AuditDecision.Started), CancellationToken.None);

        Assert.Equal([AuditDecision.Matched, AuditDecision.Started], sink.Records.Select(r => r.Decision));
        Assert.Equal(1, sink.FlushedCount);
    }
}
