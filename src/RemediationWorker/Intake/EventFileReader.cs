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
    /// <param name="reuseBody">For a caller that is done with each event before it asks for the next (replay): the
    /// lines of a <c>.jsonl</c> file share one body buffer, valid until the next event is read, instead of an array
    /// each (half of what a replay allocated per event).</param>
    public static IEnumerable<IncomingEvent> Read(string path, int maxEventBytes, bool reuseBody = false)
        => ListFiles(path).SelectMany(file => ReadFile(file, maxEventBytes, skip: 0, reuseBody));

    /// <summary>The events of one file, after the first <paramref name="skip"/>. Unreadable entries (too
    /// large, a vanished file) come back with <see cref="IncomingEvent.ReadError"/> set.</summary>
    public static IEnumerable<IncomingEvent> ReadFile(string file, int maxEventBytes, int skip, bool reuseBody = false)
    {
        var name = Path.GetFileName(file);
        if (!file.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
        {
            return skip > 0 ? [] : [ReadWholeFile(file, name, maxEventBytes)];
        }

        return ReadLines(file, name, maxEventBytes, reuseBody ? new byte[4096] : null).Skip(skip);
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

    /// <param name="body">The shared body buffer (grown as needed), or <see langword="null"/> for an array per event.</param>
    private static IEnumerable<IncomingEvent> ReadLines(string file, string name, int maxEventBytes, byte[]? body)
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
                    var incoming = Finish(name, lineNumber, line, lineLength, maxEventBytes, ref body);
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
                if (Finish(name, lineNumber, line, lineLength, maxEventBytes, ref body) is { } last)
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

    private static IncomingEvent? Finish(string name, int lineNumber, ArrayBufferWriter<byte> line, long lineLength, int maxEventBytes, ref byte[]? body)
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

        if (body is null)
        {
            return new IncomingEvent(lineName, WithoutBom(content.ToArray()));
        }

        if (body.Length < content.Length)
        {
            body = new byte[Math.Max(content.Length, body.Length * 2)];
        }

        content.CopyTo(body);
        return new IncomingEvent(lineName, WithoutBom(body.AsMemory(0, content.Length)));
    }

    private static ReadOnlyMemory<byte> WithoutBom(ReadOnlyMemory<byte> bytes)
        => bytes.Span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? bytes[3..] : bytes;

    internal static string TooLarge(long length, int maxEventBytes)
        => string.Create(CultureInfo.InvariantCulture, $"too-large: {length} bytes, the limit is {maxEventBytes}");
}
