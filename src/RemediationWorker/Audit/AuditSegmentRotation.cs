using Microsoft.Extensions.Logging;

namespace RemediationWorker.Audit;

/// <summary>When and how the open segment is closed (docs/audit-log.md, "Segments and digests"): every
/// <see cref="AuditDigestOptions.Interval"/> when it holds records, and at <see cref="AuditDigestOptions.MaxSegmentBytes"/>.
/// Closing renames the file to <c>&lt;name&gt;.&lt;firstSeq:D12&gt;.jsonl</c>, writes its digest and queues both for
/// the archive. The sink holds its gates while calling; this type holds no lock of its own.</summary>
internal sealed class AuditSegmentRotation : IAsyncDisposable
{
    private readonly string _path;
    private readonly string _chainName;
    private readonly AuditDigestOptions _options;
    private readonly AuditDigestWriter _digests;
    private readonly AuditShipper? _shipper;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private ITimer? _timer;
    private DateTimeOffset _openedAt;

    public AuditSegmentRotation(
        string path, AuditDigestOptions options, AuditDigestWriter digests, AuditShipper? shipper, TimeProvider time, ILogger logger, long firstSeq)
    {
        _path = path;
        _chainName = AuditSegmentNames.ChainName(path);
        _options = options;
        _digests = digests;
        _shipper = shipper;
        _time = time;
        _logger = logger;
        FirstSeq = firstSeq;
        _openedAt = time.GetUtcNow();
    }

    /// <summary>The sequence number of the open segment's first record (or of the next record when it is empty).</summary>
    public long FirstSeq { get; private set; }

    /// <summary>Whether the interval has passed since the open segment was opened.</summary>
    public bool IsDue => _time.GetUtcNow() - _openedAt >= _options.Interval;

    /// <summary>With an archive, shutdown closes and ships the open segment; without one it stays open, anchored by a
    /// digest, so that the file at <c>Audit:Path</c> is still there to verify.</summary>
    public bool ShipsOnShutdown => _shipper is not null;

    public bool IsFull(long length) => length >= _options.MaxSegmentBytes;

    /// <summary>Starts the interval's timer; each tick calls <paramref name="rotate"/>, whose failures are logged.</summary>
    public void StartTimer(Func<Task> rotate) =>
        _timer = _time.CreateTimer(_ => _ = RotateQuietlyAsync(rotate), null, _options.Interval, _options.Interval);

    /// <summary>Renames the open segment (written, synced and closed by the sink), digests and ships it. The next
    /// segment starts at <paramref name="lastSeq"/> + 1.</summary>
    public async Task CloseAsync(long lastSeq, string headHash, CancellationToken cancellationToken)
    {
        var name = AuditSegmentNames.Segment(_chainName, FirstSeq);
        var closed = Path.Combine(Path.GetDirectoryName(_path)!, name);
        File.Move(_path, closed, overwrite: false);
        var firstSeq = FirstSeq;
        FirstSeq = lastSeq + 1;
        _openedAt = _time.GetUtcNow();
        _shipper?.Enqueue(name, closed);
        if (await TryDigestAsync(name, firstSeq, lastSeq, headHash, cancellationToken) is { } digest)
        {
            _logger.AuditSegmentClosed(name, firstSeq, lastSeq, digest);
        }
    }

    /// <summary>At shutdown without an archive: a digest of the open segment, unless nothing was written since the last.</summary>
    public async Task AnchorOpenSegmentAsync(long lastSeq, string headHash, CancellationToken cancellationToken)
    {
        if (lastSeq >= FirstSeq && lastSeq > _digests.AnchoredSeq)
        {
            await TryDigestAsync(AuditSegmentNames.Segment(_chainName, FirstSeq), FirstSeq, lastSeq, headHash, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_timer is not null)
        {
            await _timer.DisposeAsync();
        }

        if (_shipper is not null)
        {
            await _shipper.DisposeAsync();
        }
    }

    private async Task<string?> TryDigestAsync(string segment, long firstSeq, long lastSeq, string headHash, CancellationToken cancellationToken)
    {
        try
        {
            var digest = await _digests.WriteAsync(segment, firstSeq, lastSeq, headHash, _time.GetUtcNow(), cancellationToken);
            _shipper?.Enqueue("digests/" + Path.GetFileName(digest), digest);
            return digest;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The records are intact; the next digest links to the last one written and the gap is visible to audit verify.
            _logger.AuditDigestFailed(ex, segment, firstSeq, lastSeq);
            return null;
        }
    }

    private async Task RotateQuietlyAsync(Func<Task> rotate)
    {
        try
        {
            await rotate();
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not ObjectDisposedException)
        {
            _logger.AuditLogFailed(ex, _path);
        }
        catch (ObjectDisposedException)
        {
            // the tick raced the shutdown, which anchors the segment itself
        }
    }
}
