using System.Buffers;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RemediationWorker.Audit;

/// <summary>
/// Appends audit records to a hash-chained JSON-lines file (format and hash rule: docs/audit-log.md) and logs
/// each one (event 4001). Callers may write concurrently; records are formatted and chained one at a time
/// (<see cref="AuditLineFormatter"/>). Records are buffered in memory and handed to the file when 64 KiB are pending
/// or on <see cref="FlushAsync"/>, which also forces them onto the disk when <see cref="AuditOptions.FlushToDisk"/> is
/// set; one fsync covers every flush waiting for it. Every <see cref="AuditDigestOptions.Interval"/> (when it holds
/// records) and at <see cref="AuditDigestOptions.MaxSegmentBytes"/> the open segment is closed
/// (<see cref="AuditSegmentRotation"/>): renamed <c>&lt;name&gt;.&lt;firstSeq:D12&gt;.jsonl</c>, digested, shipped;
/// the chain continues in a new file at the same path.
/// </summary>
/// <remarks>
/// On open the sink continues the chain from the file's last line. When that line is cut off (no line end) or is
/// not a valid record, or the digests anchor records the file no longer holds, it refuses to append and throws
/// <see cref="InvalidDataException"/> naming the file: the break stays where <c>audit verify</c> reports it, nothing
/// is truncated, and an operator decides. A failed write (a full disk) keeps its records pending: new records are
/// refused and each <see cref="FlushAsync"/> tries the write again at the same offset, so the chain continues
/// without a gap once there is room. A failed fsync leaves the sink faulted (the kernel may have dropped the
/// pages): every later call throws. Only one sink may write a file at a time; a <c>.lock</c> file beside it is held
/// while the sink is open.
/// </remarks>
internal sealed class JsonLinesAuditSink : IAuditSink, IAsyncDisposable, IDisposable
{
    private const int PendingThreshold = 64 * 1024;

    private readonly string _path;
    private readonly bool _flushToDisk;
    private readonly bool _logToStdout;
    private readonly ILogger _logger;
    private readonly FileStream _writerLock;
    private readonly AuditSegmentRotation _rotation;
    private AuditSegmentFile _file;

    // _gate serialises formatting, chaining, handing bytes to the OS and rotating; _syncGate serialises fsync.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SemaphoreSlim _syncGate = new(1, 1);

    private readonly ArrayBufferWriter<byte> _pending = new(PendingThreshold + 1024);
    private readonly AuditLineFormatter _formatter = new();

    private long _seq;          // the last record chained
    private long _osSeq;        // the last record handed to the OS
    private long _durableSeq;   // the last record forced onto the disk
    private volatile Exception? _fault;
    private volatile Exception? _writeFault; // a failed write whose records are still pending: FlushAsync tries again
    private volatile bool _disposed;

    /// <param name="time">The clock of digests and rotation (default: the system's).</param>
    /// <param name="workerId">Named in every digest (default: the machine name).</param>
    /// <param name="archive">Where closed segments and digests are shipped; none by default.</param>
    /// <param name="signer">Signs digests; unsigned by default.</param>
    public JsonLinesAuditSink(
        IOptions<AuditOptions> options,
        ILogger<JsonLinesAuditSink> logger,
        TimeProvider? time = null,
        string? workerId = null,
        IAuditArchive? archive = null,
        IAuditDigestSigner? signer = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value;
        _path = value.ResolveFullPath();
        _flushToDisk = value.FlushToDisk;
        _logToStdout = value.LogToStdout;
        _logger = logger;

        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        _writerLock = AcquireWriterLock(_path);
        AuditSegmentFile? file = null;
        try
        {
            file = AuditSegmentFile.Open(_path);
            _seq = ReadChainHead(file, _formatter, out var firstSeq, out var firstPrevHash);
            var digests = new AuditDigestWriter(
                value.ResolveDigestFolder(), AuditSegmentNames.ChainName(_path), workerId ?? Environment.MachineName, signer);
            digests.Continue(_path, _seq, _formatter.Head, seq => seq == firstSeq - 1 ? firstPrevHash : null);
            _rotation = new AuditSegmentRotation(
                _path, value.Digests, digests, archive is null ? null : new AuditShipper(archive, time ?? TimeProvider.System, logger),
                time ?? TimeProvider.System, logger, firstSeq);
        }
        catch
        {
            file?.Dispose();
            _writerLock.Dispose();
            _formatter.Dispose();
            throw;
        }

        _file = file;
        _osSeq = _seq;
        _durableSeq = _seq;
        _logger.AuditLogOpened(_path, _seq + 1);
        _rotation.StartTimer(() => RotateAsync(onlyWhenDue: true, CancellationToken.None));
    }

    /// <summary>The absolute path of the file this sink appends to.</summary>
    public string FilePath => _path;

    public async ValueTask WriteAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(record.WorkerId);
        ArgumentNullException.ThrowIfNull(record.ConfigHash);
        record = AuditRecordBounds.Apply(record);

        long seq;
        string? hash = null;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ThrowIfUnusable();
            seq = _seq + 1;
            _pending.Write(_formatter.Format(record, seq)); // throws before anything is committed when the record cannot be written
            _formatter.Commit();
            _seq = seq;
            if (_pending.WrittenCount >= PendingThreshold)
            {
                WritePendingToFile();
            }

            if (_logToStdout && _logger.IsEnabled(LogLevel.Information))
            {
                hash = Encoding.ASCII.GetString(_formatter.Head);
            }

            if (_rotation.IsFull(_file.Length + _pending.WrittenCount))
            {
                await _syncGate.WaitAsync(CancellationToken.None);
                try
                {
                    await CloseSegmentAsync(cancellationToken);
                }
                finally
                {
                    _syncGate.Release();
                }
            }
        }
        finally
        {
            _gate.Release();
        }

        if (hash is not null)
        {
            _logger.AuditRecordWritten(record, seq, hash);
        }
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        long target;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ThrowIfUnusable(retrying: true);
            WritePendingToFile();
            target = _seq;
        }
        finally
        {
            _gate.Release();
        }

        if (!_flushToDisk)
        {
            return;
        }

        await _syncGate.WaitAsync(cancellationToken);
        try
        {
            if (_durableSeq >= target)
            {
                return; // a flush that started after ours was handed to the OS already covered it
            }

            ThrowIfUnusable();
            var covered = Volatile.Read(ref _osSeq);
            SyncToDisk();
            _durableSeq = covered;
        }
        finally
        {
            _syncGate.Release();
        }
    }

    /// <summary>Closes the open segment when it holds records (and, with <paramref name="onlyWhenDue"/>, only when the
    /// interval has passed since it was opened): the rotation's timer calls it; tests call it directly.</summary>
    public async Task RotateAsync(bool onlyWhenDue, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await _syncGate.WaitAsync(cancellationToken);
            try
            {
                if (!_disposed && _fault is null && _writeFault is null && (!onlyWhenDue || _rotation.IsDue))
                {
                    await CloseSegmentAsync(cancellationToken);
                }
            }
            finally
            {
                _syncGate.Release();
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        await _syncGate.WaitAsync();
        await CloseAndReleaseAsync();
    }

    /// <summary>The same as <see cref="DisposeAsync"/>, for containers and callers that dispose synchronously.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private static FileStream AcquireWriterLock(string path)
    {
        var lockPath = path + ".lock";
        try
        {
            return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1);
        }
        catch (IOException ex)
        {
            throw new IOException(
                $"Cannot take the writer lock {lockPath} of the audit log {path}: {ex.Message} Another worker or sink is " +
                $"probably writing this file; each writer needs its own file (set Audit:Path, for example with {AuditOptions.MachineNameToken}).",
                ex);
        }
    }

    /// <summary>Finds where the chain continues: seq and hash of the last line (given to the formatter), or the
    /// genesis of an empty file; and the seq and prevHash of the first line (what the segment continues).</summary>
    private static long ReadChainHead(AuditSegmentFile file, AuditLineFormatter formatter, out long firstSeq, out string? firstPrevHash)
    {
        firstSeq = 1;
        firstPrevHash = null;
        if (file.ReadLastLine() is not { } line)
        {
            return 0;
        }

        if (!AuditChain.TryParse(line, out var record, out var problem))
        {
            throw AuditSegmentFile.Refuse(file.Path, $"a last line that is {problem}");
        }

        AuditChain.TrySplit(line, out var body, out var storedHash);
        if (!formatter.HashMatches(body, storedHash))
        {
            throw AuditSegmentFile.Refuse(file.Path, "a last line whose hash does not match its content (it was edited)");
        }

        formatter.ContinueAfter(storedHash);
        if (file.ReadFirstLine() is { } first && AuditChain.TryParse(first, out var firstRecord, out _))
        {
            firstSeq = firstRecord.Seq;
            firstPrevHash = firstRecord.PrevHash;
        }

        return record.Seq;
    }

    /// <summary>Writes and forces the open segment's records onto the disk, closes it, and opens the next one at the same
    /// path. The caller holds both gates. A failure to close leaves the segment open and is logged; a failure to write
    /// is the write's own (the records stay pending).</summary>
    private async Task CloseSegmentAsync(CancellationToken cancellationToken)
    {
        if (_seq < _rotation.FirstSeq)
        {
            return;
        }

        WritePendingToFile();
        SyncToDisk();
        _durableSeq = _osSeq;
        _file.Dispose();
        try
        {
            await _rotation.CloseAsync(_seq, Encoding.ASCII.GetString(_formatter.Head), cancellationToken);
        }
        finally
        {
            _file = AuditSegmentFile.Open(_path);
        }
    }

    private void WritePendingToFile()
    {
        if (_pending.WrittenCount == 0)
        {
            return;
        }

        try
        {
            // At the same offset each time: a retry after a short write (a full disk) writes over its own prefix.
            _file.Append(_pending.WrittenSpan);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The records stay pending and chained; no new record is accepted until a flush has written them.
            if (_writeFault is null)
            {
                _logger.AuditLogFailed(ex, _path);
            }

            _writeFault = ex;
            throw;
        }
        catch (Exception ex)
        {
            Fault(ex);
            throw;
        }

        _writeFault = null;
        _pending.ResetWrittenCount();
        Volatile.Write(ref _osSeq, _seq);
    }

    private void SyncToDisk()
    {
        if (!_flushToDisk || _durableSeq >= _osSeq)
        {
            return;
        }

        try
        {
            _file.FlushToDisk();
        }
        catch (Exception ex)
        {
            Fault(ex);
            throw;
        }
    }

    private void Fault(Exception exception)
    {
        _fault ??= exception;
        _logger.AuditLogFailed(exception, _path);
    }

    private void ThrowIfUnusable(bool retrying = false)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_fault is { } fault)
        {
            throw new InvalidOperationException($"The audit log {_path} failed to write earlier and accepts no more records.", fault);
        }

        if (!retrying && _writeFault is { } writeFault)
        {
            throw new IOException($"The audit log {_path} cannot be written ({writeFault.Message}); it accepts no record until a flush succeeds.", writeFault);
        }
    }

    /// <summary>Hands pending records to the file and, unless a write failed, forces them to disk and anchors them (a
    /// digest; with an archive the segment is closed and shipped); then closes the file and releases both gates,
    /// which the caller holds.</summary>
    private async Task CloseAndReleaseAsync()
    {
        var closing = !_disposed;
        try
        {
            if (closing)
            {
                _disposed = true;
                if (_fault is null && _writeFault is null)
                {
                    WritePendingToFile();
                    SyncToDisk();
                    _durableSeq = _osSeq;
                    if (_rotation.ShipsOnShutdown)
                    {
                        await CloseSegmentAsync(CancellationToken.None);
                    }
                    else
                    {
                        await _rotation.AnchorOpenSegmentAsync(_seq, Encoding.ASCII.GetString(_formatter.Head), CancellationToken.None);
                    }
                }
            }
        }
        finally
        {
            if (closing)
            {
                await _rotation.DisposeAsync();
                _file.Dispose();
                _writerLock.Dispose();
                _formatter.Dispose();
            }

            _syncGate.Release();
            _gate.Release();
        }
    }
}
