using Microsoft.Win32.SafeHandles;

namespace RemediationWorker.Audit;

/// <summary>The open segment: the file at <c>Audit:Path</c> that records are appended to. Reads where the chain
/// continues when it opens, writes at an explicit offset (so a retried write after a short one writes over its own
/// prefix) and forces the bytes onto the disk. Not thread-safe: the sink serialises calls.</summary>
internal sealed class AuditSegmentFile : IDisposable
{
    private readonly SafeFileHandle _file;

    private AuditSegmentFile(string path, SafeFileHandle file, long length)
    {
        Path = path;
        _file = file;
        Length = length;
    }

    public string Path { get; }

    /// <summary>The bytes the file holds (all written through this instance after the open).</summary>
    public long Length { get; private set; }

    /// <summary>Opens (or creates) the segment for appending.</summary>
    public static AuditSegmentFile Open(string path)
    {
        var file = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            return new AuditSegmentFile(path, file, RandomAccess.GetLength(file));
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>The first line of the file (without its line end), or null when the file is empty.</summary>
    public byte[]? ReadFirstLine()
    {
        if (Length == 0)
        {
            return null;
        }

        var size = (int)Math.Min(Length, 4096);
        while (true)
        {
            var head = ReadAt(0, size);
            var end = head.AsSpan().IndexOf((byte)'\n');
            if (end >= 0)
            {
                return head[..end];
            }

            if (size == Length)
            {
                throw Refuse(Path, "an incomplete line (no line end): a write was cut off");
            }

            if (size > AuditLineReader.MaxLineLength)
            {
                throw Refuse(Path, $"a first line longer than {AuditLineReader.MaxLineLength} bytes");
            }

            size = (int)Math.Min(Length, (long)size * 4);
        }
    }

    /// <summary>The last line of the file (without its line end), or null when the file is empty. Refuses a file
    /// whose last line has no line end.</summary>
    public byte[]? ReadLastLine()
    {
        if (Length == 0)
        {
            return null;
        }

        var size = (int)Math.Min(Length, 4096);
        while (true)
        {
            var tail = ReadAt(Length - size, size);
            if (tail[^1] != (byte)'\n')
            {
                throw Refuse(Path, "an incomplete line (no line end): a write was cut off");
            }

            var start = tail.AsSpan(0, size - 1).LastIndexOf((byte)'\n') + 1;
            if (start > 0 || size == Length)
            {
                return tail[start..^1];
            }

            if (size > AuditLineReader.MaxLineLength)
            {
                throw Refuse(Path, $"a last line longer than {AuditLineReader.MaxLineLength} bytes");
            }

            size = (int)Math.Min(Length, (long)size * 4);
        }
    }

    /// <summary>Appends <paramref name="bytes"/> at the end. A failure leaves <see cref="Length"/> unchanged, so the
    /// next attempt writes at the same offset.</summary>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        RandomAccess.Write(_file, bytes, Length);
        Length += bytes.Length;
    }

    public void FlushToDisk() => RandomAccess.FlushToDisk(_file);

    public void Dispose() => _file.Dispose();

    /// <summary>The refusal to append to a file whose end is not an intact record.</summary>
    public static InvalidDataException Refuse(string path, string what) => new(
        $"The audit log {path} ends with {what}. Refusing to append, so that the break stays where " +
        $"'remediation-worker audit verify' reports it. Keep the file as evidence, verify it, then move it aside " +
        $"(or set Audit:Path to another file) to start a new chain.");

    private byte[] ReadAt(long offset, int size)
    {
        var buffer = new byte[size];
        for (var read = 0; read < size;)
        {
            var n = RandomAccess.Read(_file, buffer.AsSpan(read), offset + read);
            if (n == 0)
            {
                throw new IOException($"The audit log {Path} shrank while it was being opened.");
            }

            read += n;
        }

        return buffer;
    }
}
