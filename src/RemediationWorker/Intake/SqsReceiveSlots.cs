namespace RemediationWorker.Intake;

/// <summary>The intake's room: a slot per handler and per channel place. A poller receives only as many messages as
/// it holds slots (so no message waits unheld), and only a whole batch (so every receive under load is a full one).
/// Pollers gather their batch one at a time: gathering side by side, each could hold part of a batch while every
/// other slot sat with the others, with no message in work to free one (four pollers of 10 and 26 slots stopped
/// for good).</summary>
internal sealed class SqsReceiveSlots : IDisposable
{
    private readonly SemaphoreSlim _free;
    private readonly SemaphoreSlim _gathering = new(1, 1);

    public SqsReceiveSlots(int count) => _free = new SemaphoreSlim(count);

    /// <summary>Waits until this poller holds <paramref name="batch"/> slots; on cancellation it holds none.</summary>
    public async Task TakeBatchAsync(int batch, CancellationToken cancellationToken)
    {
        await _gathering.WaitAsync(cancellationToken);
        var taken = 0;
        try
        {
            while (taken < batch)
            {
                await _free.WaitAsync(cancellationToken);
                taken++;
            }
        }
        catch (OperationCanceledException)
        {
            Release(taken);
            throw;
        }
        finally
        {
            _gathering.Release();
        }
    }

    /// <summary>Gives back slots: a message handled, or a batch that came back short.</summary>
    public void Release(int count = 1)
    {
        if (count > 0)
        {
            _free.Release(count);
        }
    }

    public void Dispose()
    {
        _free.Dispose();
        _gathering.Dispose();
    }
}
