using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace RemediationWorker.Audit;

/// <summary>Ships closed segments and their digests to the archive in the background, in the order they were closed
/// (each segment before its digest), trying a failed upload again with growing waits until it succeeds, so the
/// writer never waits on S3. On shutdown it is given a bounded time to drain; what is left is named in the log.</summary>
internal sealed class AuditShipper : IAsyncDisposable
{
    /// <summary>How long shutdown waits for the queue to drain (the host's budget after the intake's grace is 8 s).</summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromMinutes(1);

    private readonly IAuditArchive _archive;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<(string Name, string Path)> _queue = Channel.CreateUnbounded<(string, string)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;

    public AuditShipper(IAuditArchive archive, TimeProvider time, ILogger logger)
    {
        _archive = archive;
        _time = time;
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Queues <paramref name="path"/> to be stored as <paramref name="name"/>.</summary>
    public void Enqueue(string name, string path) => _queue.Writer.TryWrite((name, path));

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        var drained = await Task.WhenAny(_loop, Task.Delay(DrainTimeout, _time)) == _loop;
        if (!drained)
        {
            await _stopping.CancelAsync();
            while (_queue.Reader.TryRead(out var left))
            {
                _logger.AuditShipAbandoned(left.Name);
            }
        }

        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // stopped while an upload was still being tried: named above or in the loop
        }

        _stopping.Dispose();
    }

    private async Task RunAsync()
    {
        var token = _stopping.Token;
        await foreach (var (name, path) in _queue.Reader.ReadAllAsync(token))
        {
            var wait = FirstRetry;
            while (true)
            {
                try
                {
                    await _archive.PutAsync(name, path, token);
                    break;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    _logger.AuditShipFailed(ex, name, wait);
                    try
                    {
                        await Task.Delay(wait, _time, token);
                    }
                    catch (OperationCanceledException)
                    {
                        _logger.AuditShipAbandoned(name);
                        throw;
                    }

                    wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, MaxRetry.Ticks));
                }
            }
        }
    }
}
