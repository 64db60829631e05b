using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RemediationWorker.Playbooks;
using RemediationWorker.Remediation;

namespace RemediationWorker.Audit;

/// <summary>Writes <c>worker-started</c> when the host starts (before the intake, so it is the worker's first
/// record) and <c>worker-stopped</c> when it stops (after the intake, so it is the last before the sink anchors and
/// closes the file), each with the image tag and the configuration hash in force. A failed write closes the audit
/// gate, as any audit write does, instead of stopping the host.</summary>
internal sealed class WorkerLifecycleService : IHostedService
{
    private readonly IAuditSink _audit;
    private readonly AuditGate _gate;
    private readonly PlaybookCatalog _catalog;
    private readonly WorkerIdentity _worker;
    private readonly TimeProvider _time;
    private readonly string _imageTag;

    public WorkerLifecycleService(
        IAuditSink audit, AuditGate gate, PlaybookCatalog catalog, WorkerIdentity worker, TimeProvider time, IOptions<AuditOptions> options)
    {
        _audit = audit;
        _gate = gate;
        _catalog = catalog;
        _worker = worker;
        _time = time;
        _imageTag = string.IsNullOrWhiteSpace(options.Value.ImageTag) ? "not set (Audit:ImageTag)" : options.Value.ImageTag;
    }

    public async Task StartAsync(CancellationToken cancellationToken) =>
        await _gate.TryAsync(ct => WriteAsync(AuditDecision.WorkerStarted, "started", ct), cancellationToken);

    public async Task StopAsync(CancellationToken cancellationToken) =>
        await _gate.TryAsync(ct => WriteAsync(AuditDecision.WorkerStopped, "stopping", ct), cancellationToken);

    private async ValueTask WriteAsync(AuditDecision decision, string what, CancellationToken cancellationToken)
    {
        var hash = _catalog.Current.Hash;
        await _audit.WriteAsync(new AuditRecord
        {
            Time = _time.GetUtcNow(),
            WorkerId = _worker.Id,
            Decision = decision,
            ConfigHash = hash,
            Reason = $"worker {_worker.Id} {what}: image tag {_imageTag}, configuration {hash}",
        }, cancellationToken);
        await _audit.FlushAsync(cancellationToken);
    }
}
