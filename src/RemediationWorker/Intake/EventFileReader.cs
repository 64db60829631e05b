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
    /// A file that cannot be read (an I/O error) gives one entry with <see cref="IncomingEvent.ReadError"/> set, and the
    /// next file is read.
    public static IEnumerable<IncomingEvent> Read(string path, int maxEventBytes, bool reuseBody = false)
        => ListFiles(path).SelectMany(file => UntilUnreadable(
            ReadFile(file, maxEventBytes, FilePosition.Start, reuseBody),
            ex => new IncomingEvent(Path.GetFileName(file), ReadOnlyMemory<byte>.Empty, $"cannot read the file: {ex.Message}")));

    /// <summary>The events of <paramref name="events"/> until an I/O error, which ends them (with what
    /// <paramref name="unreadable"/> makes of it, when that is not <see langword="null"/>).</summary>
    public static IEnumerable<IncomingEvent> UntilUnreadable(IEnumerable<IncomingEvent> events, Func<Exception, IncomingEvent?> unreadable)
    {
        using var enumerator = events.GetEnumerator();
        while (true)
        {
            IncomingEvent? next = null;
            IncomingEvent? failed = null;
            try
            {
                if (enumerator.MoveNext())
                {
                    next = enumerator.Current;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                failed = unreadable(ex);
                if (failed is null)
                {
                    yield break;
                }
            }

            if (failed is not null)
            {
                yield return failed;
                yield break;
            }

            if (next is null)
            {
                yield break;
            }

            yield return next;
        }
    }

    /// <summary>The events of one file from <paramref name="from"/> on (a <c>.json</c> file: its one event, from the
    /// start only). With <paramref name="trackPositions"/> each event's <see cref="IncomingEvent.SourceState"/> is the
    /// <see cref="FilePosition"/> just after it. Entries over the size limit come back with
    /// <see cref="IncomingEvent.ReadError"/> set; an I/O error is thrown (the file is unreadable, not hostile).</summary>
    /// <param name="wholeLinesOnly">A last line without its line end is left for later (a writer may be appending to it).</param>
    public static IEnumerable<IncomingEvent> ReadFile(string file, int maxEventBytes, FilePosition from, bool reuseBody = false, bool wholeLinesOnly = false, bool trackPositions = false)
    {
        var name = Path.GetFileName(file);
        if (!file.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
        {
            return from.Offset > 0 ? [] : [ReadWholeFile(file, name, maxEventBytes, trackPositions)];
        }

        return ReadLines(file, name, maxEventBytes, from, reuseBody ? new byte[4096] : null, wholeLinesOnly, trackPositions);
    }

    private static IncomingEvent ReadWholeFile(string file, string name, int maxEventBytes, bool trackPositions)
    {
        var length = new FileInfo(file).Length;
        var end = trackPositions ? new FilePosition(length, 1) : null;
        return length > maxEventBytes
            ? new IncomingEvent(name, ReadOnlyMemory<byte>.Empty, TooLarge(length, maxEventBytes)) { SourceState = end }
            : new IncomingEvent(name, WithoutBom(File.ReadAllBytes(file))) { SourceState = end };
    }

    /// <param name="body">The shared body buffer (grown as needed), or <see langword="null"/> for an array per event.</param>
    private static IEnumerable<IncomingEvent> ReadLines(string file, string name, int maxEventBytes, FilePosition from, byte[]? body, bool wholeLinesOnly, bool trackPositions)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, ChunkSize);
        stream.Seek(from.Offset, SeekOrigin.Begin);
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkSize);
        var line = new ArrayBufferWriter<byte>(4096);
        var lineNumber = from.Line;
        var chunkStart = from.Offset; // where chunk[0] is in the file
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
                        yield return trackPositions ? incoming with { SourceState = new FilePosition(chunkStart + position, lineNumber) } : incoming;
                    }
                }

                chunkStart += read;
            }

            if (lineLength > 0 && !wholeLinesOnly)
            {
                lineNumber++;
                if (Finish(name, lineNumber, line, lineLength, maxEventBytes, ref body) is { } last)
                {
                    yield return trackPositions ? last with { SourceState = new FilePosition(chunkStart, lineNumber) } : last;
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

    /// <summary>Where reading a file stopped: the byte just after an event and the number of the line it ended.</summary>
    internal sealed record FilePosition(long Offset, int Line)
    {
        public static FilePosition Start { get; } = new(0, 0);
    }

    internal static string TooLarge(long length, int maxEventBytes)
        => string.Create(CultureInfo.InvariantCulture, $"too-large: {length} bytes, the limit is {maxEventBytes}");
}
