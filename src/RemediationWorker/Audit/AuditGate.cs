using Microsoft.Extensions.Logging;
using RemediationWorker.Diagnostics;

namespace RemediationWorker.Audit;

/// <summary>Whether the audit log can be written, for everything that must not act without it. A failed write
/// closes the gate: the intake stops receiving (<see cref="WaitUntilWritableAsync"/>), the heartbeat reports
/// unhealthy with the reason, and the pending records are written again (the sink's flush) every
/// <see cref="RetryInterval"/> until that succeeds. <c>run --once</c> exits 3 when it closed (docs/audit-log.md).</summary>
internal sealed class AuditGate : IDisposable
{
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(5);

    private readonly IAuditSink _audit;
    private readonly Heartbeat _heartbeat;
    private readonly TimeProvider _time;
    private readonly ILogger<AuditGate> _logger;
    private readonly SemaphoreSlim _retry = new(1, 1);
    private volatile string? _reason;

    public AuditGate(IAuditSink audit, Heartbeat heartbeat, TimeProvider time, ILogger<AuditGate> logger)
    {
        _audit = audit;
        _heartbeat = heartbeat;
        _time = time;
        _logger = logger;
    }

    /// <summary>Why the audit log cannot be written now; null while it can.</summary>
    public string? Reason => _reason;

    /// <summary>The gate closed at least once in this process (<c>run --once</c> then exits 3).</summary>
    public bool HasFailed { get; private set; }

    public void Dispose() => _retry.Dispose();

    /// <summary>Closes the gate and returns the exception the caller throws.</summary>
    public AuditUnavailableException Fail(Exception exception)
    {
        var reason = $"the audit log cannot be written ({exception.Message}); nothing starts and no message is taken until it can";
        if (_reason is null)
        {
            _logger.AuditUnavailable(exception, RetryInterval);
        }

        _reason = reason;
        HasFailed = true;
        _heartbeat.Block(reason);
        return exception as AuditUnavailableException ?? new AuditUnavailableException(reason, exception);
    }

    /// <summary>Runs an audit write that nothing waits on (the configuration's announcement at start); a failure closes
    /// the gate instead of stopping the host. False when it failed.</summary>
    public async ValueTask<bool> TryAsync(Func<CancellationToken, ValueTask> write, CancellationToken cancellationToken)
    {
        try
        {
            await write(cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Fail(ex);
            return false;
        }
    }

    /// <summary>Returns at once while the log is writable; otherwise tries the pending write every
    /// <see cref="RetryInterval"/> until it succeeds.</summary>
    public async Task WaitUntilWritableAsync(CancellationToken cancellationToken)
    {
        while (_reason is not null)
        {
            await Task.Delay(RetryInterval, _time, cancellationToken);
            await _retry.WaitAsync(cancellationToken);
            try
            {
                if (_reason is null)
                {
                    return;
                }

                await _audit.FlushAsync(cancellationToken);
                _reason = null;
                _heartbeat.Unblock();
                _logger.AuditWritableAgain();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _reason = $"the audit log cannot be written ({ex.Message}); nothing starts and no message is taken until it can";
            }
            finally
            {
                _retry.Release();
            }
        }
    }
}
