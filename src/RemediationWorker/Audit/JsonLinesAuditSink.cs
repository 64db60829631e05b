using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Win32.SafeHandles;

namespace RemediationWorker.Audit;

/// <summary>
/// Appends audit records to a hash-chained JSON-lines file (format and hash rule: docs/audit-log.md) and logs
/// each one (event 4001). Callers may write concurrently; records are formatted and chained one at a time.
/// Records are buffered in memory and handed to the file when 64 KiB are pending or on
/// <see cref="FlushAsync"/>, which also forces them onto the disk when <see cref="AuditOptions.FlushToDisk"/> is
/// set; one fsync covers every flush waiting for it.
/// </summary>
/// <remarks>
/// On open the sink continues the chain from the file's last line. When that line is cut off (no line end) or is
/// not a valid record, it refuses to append and throws <see cref="InvalidDataException"/> naming the file: the
/// break stays where <c>audit verify</c> reports it, nothing is truncated, and an operator decides. A failed
/// write (a full disk) keeps its records pending: new records are refused and each <see cref="FlushAsync"/> tries
/// the write again at the same offset, so the chain continues without a gap once there is room. A failed fsync
/// leaves the sink faulted (the kernel may have dropped the pages): every later call throws. Only one
/// sink may write a file at a time; a <c>.lock</c> file beside it is held while the sink is open.
/// </remarks>
internal sealed class JsonLinesAuditSink : IAuditSink, IAsyncDisposable, IDisposable
{
    private const int PendingThreshold = 64 * 1024;

    private static readonly JsonEncodedText SeqName = JsonEncodedText.Encode("seq");
    private static readonly JsonEncodedText TimeName = JsonEncodedText.Encode("time");
    private static readonly JsonEncodedText WorkerIdName = JsonEncodedText.Encode("workerId");
    private static readonly JsonEncodedText DecisionName = JsonEncodedText.Encode("decision");
    private static readonly JsonEncodedText EventIdName = JsonEncodedText.Encode("eventId");
    private static readonly JsonEncodedText SourceName = JsonEncodedText.Encode("source");
    private static readonly JsonEncodedText DetailTypeName = JsonEncodedText.Encode("detailType");
    private static readonly JsonEncodedText AccountName = JsonEncodedText.Encode("account");
    private static readonly JsonEncodedText RegionName = JsonEncodedText.Encode("region");
    private static readonly JsonEncodedText InputName = JsonEncodedText.Encode("input");
    private static readonly JsonEncodedText TruncatedName = JsonEncodedText.Encode("truncated");
    private static readonly JsonEncodedText ResourceName = JsonEncodedText.Encode("resource");
    private static readonly JsonEncodedText PlaybookName = JsonEncodedText.Encode("playbook");
    private static readonly JsonEncodedText ConfigHashName = JsonEncodedText.Encode("configHash");
    private static readonly JsonEncodedText ReasonName = JsonEncodedText.Encode("reason");
    private static readonly JsonEncodedText GuardName = JsonEncodedText.Encode("guard");
    private static readonly JsonEncodedText ModeName = JsonEncodedText.Encode("mode");
    private static readonly JsonEncodedText DocumentNameName = JsonEncodedText.Encode("documentName");
    private static readonly JsonEncodedText DocumentVersionName = JsonEncodedText.Encode("documentVersion");
    private static readonly JsonEncodedText ParametersName = JsonEncodedText.Encode("parameters");
    private static readonly JsonEncodedText ExecutionIdName = JsonEncodedText.Encode("executionId");
    private static readonly JsonEncodedText StatusName = JsonEncodedText.Encode("status");
    private static readonly JsonEncodedText DurationMsName = JsonEncodedText.Encode("durationMs");
    private static readonly JsonEncodedText ClientTokenName = JsonEncodedText.Encode("clientToken");
    private static readonly JsonEncodedText CausedByName = JsonEncodedText.Encode("causedBy");
    private static readonly JsonEncodedText RetryAtName = JsonEncodedText.Encode("retryAt");
    private static readonly JsonEncodedText PrevHashName = JsonEncodedText.Encode("prevHash");

    private readonly string _path;
    private readonly bool _flushToDisk;
    private readonly bool _logToStdout;
    private readonly ILogger _logger;
    private readonly FileStream _writerLock;
    private readonly SafeFileHandle _file;

    // _gate serialises formatting, chaining and handing bytes to the OS; _syncGate serialises fsync.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SemaphoreSlim _syncGate = new(1, 1);

    private readonly ArrayBufferWriter<byte> _line = new(1024);
    private readonly ArrayBufferWriter<byte> _pending = new(PendingThreshold + 1024);
    private readonly Utf8JsonWriter _json;
    private readonly IncrementalHash _sha256;
    private readonly byte[] _prevHash = new byte[AuditChain.HashLength];

    private long _fileLength;
    private long _seq;          // the last record chained
    private long _osSeq;        // the last record handed to the OS
    private long _durableSeq;   // the last record forced onto the disk
    private volatile Exception? _fault;
    private volatile Exception? _writeFault; // a failed write whose records are still pending: FlushAsync tries again
    private volatile bool _disposed;

    public JsonLinesAuditSink(IOptions<AuditOptions> options, ILogger<JsonLinesAuditSink> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value;
        _path = value.ResolveFullPath();
        _flushToDisk = value.FlushToDisk;
        _logToStdout = value.LogToStdout;
        _logger = logger;

        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        _writerLock = AcquireWriterLock(_path);
        _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        _json = new Utf8JsonWriter(_line, new JsonWriterOptions
        {
            // Readable non-ASCII names; quotes, backslashes and control characters are still escaped.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            SkipValidation = true,
        });
        SafeFileHandle? file = null;
        try
        {
            file = File.OpenHandle(_path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
            _fileLength = RandomAccess.GetLength(file);
            _seq = ReadChainHead(file, _fileLength, _path, _sha256, _prevHash);
        }
        catch
        {
            file?.Dispose();
            _writerLock.Dispose();
            _json.Dispose();
            _sha256.Dispose();
            throw;
        }

        _file = file;
        _osSeq = _seq;
        _durableSeq = _seq;
        _logger.AuditLogOpened(_path, _seq + 1);
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
            FormatLine(record, seq); // throws before anything is committed when the record cannot be written
            var line = _line.WrittenSpan;
            _pending.Write(line);
            line.Slice(line.Length - 1 - AuditChain.HashMemberSuffix.Length - AuditChain.HashLength, AuditChain.HashLength)
                .CopyTo(_prevHash);
            _seq = seq;
            if (_pending.WrittenCount >= PendingThreshold)
            {
                WritePendingToFile();
            }

            if (_logToStdout && _logger.IsEnabled(LogLevel.Information))
            {
                hash = Encoding.ASCII.GetString(_prevHash);
            }
        }
        finally
        {
            _gate.Release();
        }

        if (hash is not null)
        {
            LogRecord(record, seq, hash);
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

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        await _syncGate.WaitAsync();
        CloseAndRelease();
    }

    /// <summary>The same as <see cref="DisposeAsync"/>, for containers and callers that dispose synchronously.</summary>
    public void Dispose()
    {
        _gate.Wait();
        _syncGate.Wait();
        CloseAndRelease();
    }

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

    /// <summary>Finds where the chain continues: seq and hash of the last line, or the genesis of an empty file.</summary>
    private static long ReadChainHead(SafeFileHandle file, long length, string path, IncrementalHash sha256, byte[] prevHash)
    {
        if (length == 0)
        {
            AuditChain.GenesisHash.CopyTo(prevHash);
            return 0;
        }

        var line = ReadLastLine(file, length, path);
        if (!AuditChain.TryParse(line, out var record, out var problem))
        {
            throw Refuse(path, $"a last line that is {problem}");
        }

        AuditChain.TrySplit(line, out var body, out var storedHash);
        Span<byte> computed = stackalloc byte[AuditChain.HashLength];
        if (!AuditChain.HashMatches(sha256, body, storedHash, computed))
        {
            throw Refuse(path, "a last line whose hash does not match its content (it was edited)");
        }

        storedHash.CopyTo(prevHash);
        return record.Seq;
    }

    private static byte[] ReadLastLine(SafeFileHandle file, long length, string path)
    {
        var size = (int)Math.Min(length, 4096);
        while (true)
        {
            var tail = new byte[size];
            var offset = length - size;
            for (var read = 0; read < size;)
            {
                var n = RandomAccess.Read(file, tail.AsSpan(read), offset + read);
                if (n == 0)
                {
                    throw new IOException($"The audit log {path} shrank while it was being opened.");
                }

                read += n;
            }

            if (tail[^1] != (byte)'\n')
            {
                throw Refuse(path, "an incomplete line (no line end): a write was cut off");
            }

            var start = tail.AsSpan(0, size - 1).LastIndexOf((byte)'\n') + 1;
            if (start > 0 || size == length)
            {
                return tail[start..^1];
            }

            if (size > AuditLineReader.MaxLineLength)
            {
                throw Refuse(path, $"a last line longer than {AuditLineReader.MaxLineLength} bytes");
            }

            size = (int)Math.Min(length, (long)size * 4);
        }
    }

    private static InvalidDataException Refuse(string path, string what) => new(
        $"The audit log {path} ends with {what}. Refusing to append, so that the break stays where " +
        $"'remediation-worker audit verify' reports it. Keep the file as evidence, verify it, then move it aside " +
        $"(or set Audit:Path to another file) to start a new chain.");

    private void FormatLine(AuditRecord record, long seq)
    {
        _line.ResetWrittenCount();
        _json.Reset(_line);
        var json = _json;
        json.WriteStartObject();
        json.WriteNumber(SeqName, seq);
        Span<byte> time = stackalloc byte[AuditChain.TimeLength];
        json.WriteString(TimeName, time[..AuditChain.FormatTime(record.Time, time)]);
        json.WriteString(WorkerIdName, record.WorkerId);
        json.WriteString(DecisionName, record.Decision.ToWireName());
        WriteOptional(EventIdName, record.EventId);
        WriteOptional(SourceName, record.Source);
        WriteOptional(DetailTypeName, record.DetailType);
        WriteOptional(AccountName, record.Account);
        WriteOptional(RegionName, record.Region);
        WriteOptional(InputName, record.Input);
        WriteOptional(ResourceName, record.Resource);
        WriteOptional(PlaybookName, record.Playbook);
        json.WriteString(ConfigHashName, record.ConfigHash);
        WriteOptional(ReasonName, record.Reason);
        WriteOptional(GuardName, record.Guard);
        WriteOptional(ModeName, record.Mode);
        WriteOptional(DocumentNameName, record.DocumentName);
        WriteOptional(DocumentVersionName, record.DocumentVersion);
        if (record.Parameters is { } parameters)
        {
            json.WriteStartObject(ParametersName);
            if (parameters is Dictionary<string, string> dictionary)
            {
                foreach (var (name, value) in dictionary) // the struct enumerator: no allocation per record
                {
                    json.WriteString(name, value);
                }
            }
            else
            {
                foreach (var (name, value) in parameters)
                {
                    json.WriteString(name, value);
                }
            }

            json.WriteEndObject();
        }

        WriteOptional(ExecutionIdName, record.ExecutionId);
        WriteOptional(StatusName, record.Status);
        if (record.Duration is { } duration)
        {
            json.WriteNumber(DurationMsName, (long)duration.TotalMilliseconds);
        }

        WriteOptional(ClientTokenName, record.ClientToken);
        WriteOptional(CausedByName, record.CausedBy);
        if (record.RetryAt is { } retryAt)
        {
            json.WriteString(RetryAtName, time[..AuditChain.FormatTime(retryAt, time)]);
        }

        if (record.Truncated is { } truncated)
        {
            json.WriteStartObject(TruncatedName);
            foreach (var (name, field) in truncated)
            {
                json.WriteStartObject(name);
                json.WriteNumber("length"u8, field.Length);
                json.WriteString("sha256"u8, field.Sha256);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        json.WriteString(PrevHashName, _prevHash);
        json.Flush();

        // The object is left open: the hash covers the body closed by "}", then the hash member closes it. The "}"
        // goes after the body first, so that the hash is one call over one span, and is then overwritten.
        var bodyLength = _line.WrittenCount;
        var tail = _line.GetSpan(AuditChain.HashMemberLength + 1);
        tail[0] = (byte)'}';
        MemoryMarshal.TryGetArray(_line.WrittenMemory, out var written); // the same array GetSpan handed out
        Span<byte> hex = stackalloc byte[AuditChain.HashLength];
        AuditChain.ComputeHashOfBodyAndBrace(_sha256, written.Array.AsSpan(0, bodyLength + 1), hex);
        AuditChain.HashMemberPrefix.CopyTo(tail);
        hex.CopyTo(tail[AuditChain.HashMemberPrefix.Length..]);
        AuditChain.HashMemberSuffix.CopyTo(tail[(AuditChain.HashMemberPrefix.Length + AuditChain.HashLength)..]);
        tail[AuditChain.HashMemberLength] = (byte)'\n';
        _line.Advance(AuditChain.HashMemberLength + 1);
    }

    private void WriteOptional(JsonEncodedText name, string? value)
    {
        if (value is not null)
        {
            _json.WriteString(name, value);
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
            RandomAccess.Write(_file, _pending.WrittenSpan, _fileLength);
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
        _fileLength += _pending.WrittenCount;
        _pending.ResetWrittenCount();
        Volatile.Write(ref _osSeq, _seq);
    }

    private void SyncToDisk()
    {
        try
        {
            RandomAccess.FlushToDisk(_file);
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

    /// <summary>Hands pending records to the file and, unless a write failed, forces them to disk; then closes
    /// the file and releases both gates, which the caller holds.</summary>
    private void CloseAndRelease()
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
                    if (_flushToDisk && _durableSeq < _osSeq)
                    {
                        SyncToDisk();
                        _durableSeq = _osSeq;
                    }
                }
            }
        }
        finally
        {
            if (closing)
            {
                _file.Dispose();
                _writerLock.Dispose();
                _json.Dispose();
                _sha256.Dispose();
            }

            _syncGate.Release();
            _gate.Release();
        }
    }

    private void LogRecord(AuditRecord record, long seq, string hash)
    {
        if (!_logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        var parameters = record.Parameters is null
            ? null
            : JsonSerializer.Serialize(record.Parameters, AuditJsonContext.Default.IReadOnlyDictionaryStringString);
        _logger.AuditRecordWritten(
            record.Decision.ToWireName(),
            seq,
            record.Time.UtcDateTime.ToString(AuditChain.TimeFormat, CultureInfo.InvariantCulture),
            record.WorkerId,
            record.EventId,
            record.Source,
            record.DetailType,
            record.Account,
            record.Region,
            record.Resource,
            record.Playbook,
            record.ConfigHash,
            record.Mode,
            record.Guard,
            record.Reason,
            record.DocumentName,
            record.DocumentVersion,
            parameters,
            record.ExecutionId,
            record.Status,
            record.Duration is { } duration ? (long)duration.TotalMilliseconds : null,
            record.ClientToken,
            record.CausedBy,
            record.RetryAt?.UtcDateTime.ToString(AuditChain.TimeFormat, CultureInfo.InvariantCulture),
            hash);
    }
}
