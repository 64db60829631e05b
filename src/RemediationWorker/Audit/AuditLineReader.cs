namespace RemediationWorker.Audit;

/// <summary>Reads a stream line by line as raw bytes, so that hashes are checked over exactly what is stored.
/// <see cref="Current"/> is valid until the next call to <see cref="ReadLineAsync"/>.</summary>
internal sealed class AuditLineReader
{
    /// <summary>A longer line is not an audit record; refusing it keeps a corrupt file from exhausting memory.</summary>
    public const int MaxLineLength = 16 * 1024 * 1024;

    private readonly Stream _stream;
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private bool _endOfStream;

    public AuditLineReader(Stream stream) => _stream = stream;

    /// <summary>The current line, without its line end.</summary>
    public ReadOnlyMemory<byte> Current { get; private set; }

    /// <summary>Whether the current line ended with <c>\n</c>; <see langword="false"/> only for a last line whose
    /// write was cut off.</summary>
    public bool IsTerminated { get; private set; }

    /// <summary>The 1-based number of the current line.</summary>
    public long LineNumber { get; private set; }

    /// <summary>Moves to the next line; <see langword="false"/> at the end of the stream.</summary>
    /// <exception cref="InvalidDataException">A line is longer than <see cref="MaxLineLength"/>.</exception>
    public async ValueTask<bool> ReadLineAsync(CancellationToken cancellationToken)
    {
        var searchFrom = _start;
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', searchFrom, _end - searchFrom);
            if (newline >= 0)
            {
                return Advance(newline - _start, newline + 1, terminated: true);
            }

            if (_endOfStream)
            {
                return _start < _end && Advance(_end - _start, _end, terminated: false);
            }

            searchFrom = await FillAsync(cancellationToken);
        }
    }

    private bool Advance(int length, int next, bool terminated)
    {
        Current = _buffer.AsMemory(_start, length);
        IsTerminated = terminated;
        LineNumber++;
        _start = next;
        return true;
    }

    /// <summary>Reads more bytes after the pending part of a line; returns where to continue the search.</summary>
    private async ValueTask<int> FillAsync(CancellationToken cancellationToken)
    {
        var pending = _end - _start;
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
            _start = 0;
            _end = pending;
        }

        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= MaxLineLength)
            {
                throw new InvalidDataException($"line {LineNumber + 1} is longer than {MaxLineLength} bytes");
            }

            Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, MaxLineLength));
        }

        var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
        _endOfStream = read == 0;
        _end += read;
        return pending;
    }
}
