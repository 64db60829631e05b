using System.Buffers;
using System.Globalization;

namespace RemediationWorker.Intake;

/// <summary>Reads saved events for <c>run</c> (local intake) and <c>replay</c>: a <c>.json</c> file holds one
/// event, pretty-printed or not; a <c>.jsonl</c> file one event per line. A directory is read in name order
/// (ordinal), its other files ignored. Streams: one event in memory at a time. Never writes.</summary>
internal static class EventFileReader
{
    private const int ChunkSize = 64 * 1024;

    /// <summary>The event files at <paramref name="path"/> (a file or a directory), in name order.</summary>
    /// <exception cref="FileNotFoundException">Nothing exists at the path.</exception>
    public static IReadOnlyList<string> ListFiles(string path)
    {
        if (File.Exists(path))
        {
            return [path];
        }

        if (!Directory.Exists(path))
        {
            throw new FileNotFoundException($"no event file or directory at {path}", path);
        }

        return Directory.EnumerateFiles(path)
            .Where(IsEventFile)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    public static bool IsEventFile(string file)
        => file.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase);

    /// <summary>Every event under <paramref name="path"/>, in order.</summary>
    public static IEnumerable<IncomingEvent> Read(string path, int maxEventBytes)
        => ListFiles(path).SelectMany(file => ReadFile(file, maxEventBytes, skip: 0));

    /// <summary>The events of one file, after the first <paramref name="skip"/>. Unreadable entries (too
    /// large, a vanished file) come back with <see cref="IncomingEvent.ReadError"/> set.</summary>
    public static IEnumerable<IncomingEvent> ReadFile(string file, int maxEventBytes, int skip)
    {
        var name = Path.GetFileName(file);
        if (!file.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
        {
            return skip > 0 ? [] : [ReadWholeFile(file, name, maxEventBytes)];
        }

        return ReadLines(file, name, maxEventBytes).Skip(skip);
    }

    private static IncomingEvent ReadWholeFile(string file, string name, int maxEventBytes)
    {
        try
        {
            var length = new FileInfo(file).Length;
            if (length > maxEventBytes)
            {
                return new IncomingEvent(name, ReadOnlyMemory<byte>.Empty, TooLarge(length, maxEventBytes));
            }

            return new IncomingEvent(name, WithoutBom(File.ReadAllBytes(file)));
        }
        catch (IOException ex)
        {
            return new IncomingEvent(name, ReadOnlyMemory<byte>.Empty, $"cannot read the file: {ex.Message}");
        }
    }

    private static IEnumerable<IncomingEvent> ReadLines(string file, string name, int maxEventBytes)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, ChunkSize);
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkSize);
        var line = new ArrayBufferWriter<byte>(4096);
        var lineNumber = 0;
        long lineLength = 0;
        try
        {
            int read;
            while ((read = stream.Read(chunk, 0, ChunkSize)) > 0)
            {
                var position = 0;
                while (position <= read)
                {
                    var newline = chunk.AsSpan(position, read - position).IndexOf((byte)'\n');
                    var partLength = newline < 0 ? read - position : newline;
                    lineLength += partLength;
                    if (lineLength <= maxEventBytes + 1)
                    {
                        line.Write(chunk.AsSpan(position, partLength));
                    }

                    if (newline < 0)
                    {
                        break;
                    }

                    position += partLength + 1;
                    lineNumber++;
                    var incoming = Finish(name, lineNumber, line, lineLength, maxEventBytes);
                    line.ResetWrittenCount();
                    lineLength = 0;
                    if (incoming is not null)
                    {
                        yield return incoming;
                    }
                }
            }

            if (lineLength > 0)
            {
                lineNumber++;
                if (Finish(name, lineNumber, line, lineLength, maxEventBytes) is { } last)
                {
                    yield return last;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private static IncomingEvent? Finish(string name, int lineNumber, ArrayBufferWriter<byte> line, long lineLength, int maxEventBytes)
    {
        var lineName = string.Create(CultureInfo.InvariantCulture, $"{name}:{lineNumber}");
        var content = line.WrittenSpan;
        if (content.Length > 0 && content[^1] == (byte)'\r')
        {
            content = content[..^1];
            lineLength--;
        }

        if (lineLength > maxEventBytes)
        {
            return new IncomingEvent(lineName, ReadOnlyMemory<byte>.Empty, TooLarge(lineLength, maxEventBytes));
        }

        content = content.Trim(" \t"u8);
        if (content.IsEmpty)
        {
            return null;
        }

        return new IncomingEvent(lineName, WithoutBom(content.ToArray()));
    }

    private static ReadOnlyMemory<byte> WithoutBom(byte[] bytes)
        => bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? bytes.AsMemory(3) : bytes;

    internal static string TooLarge(long length, int maxEventBytes)
        => string.Create(CultureInfo.InvariantCulture, $"too large: {length} bytes, the limit is {maxEventBytes}");
}
