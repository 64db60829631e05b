using System.IO.Compression;

namespace EventPatterns.Benchmarks;

/// <summary>Events held in memory as UTF-8 JSON lines in one buffer, so that matching reads from
/// memory and not from disk.</summary>
internal sealed class EventCorpus
{
    private readonly byte[] _buffer;
    private readonly int[] _starts;
    private readonly int[] _lengths;

    private EventCorpus(byte[] buffer, int[] starts, int[] lengths)
    {
        _buffer = buffer;
        _starts = starts;
        _lengths = lengths;
    }

    public int Count => _starts.Length;

    public ReadOnlySpan<byte> this[int index] => _buffer.AsSpan(_starts[index], _lengths[index]);

    public int Length(int index) => _lengths[index];

    /// <summary>Reads one event a line; a path ending in <c>.gz</c> is decompressed. Blank lines are
    /// skipped and a trailing carriage return is dropped.</summary>
    public static EventCorpus Load(string path)
    {
        var content = new MemoryStream();
        using (var file = File.OpenRead(path))
        using (var stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
            ? new GZipStream(file, CompressionMode.Decompress)
            : (Stream)file)
        {
            stream.CopyTo(content);
        }

        // GetBuffer hands over the stream's own array; only its first Length bytes are content.
        var buffer = content.GetBuffer();
        var text = buffer.AsSpan(0, checked((int)content.Length));
        var starts = new List<int>();
        var lengths = new List<int>();
        var offset = 0;
        while (offset < text.Length)
        {
            var newline = text[offset..].IndexOf((byte)'\n');
            var lineLength = newline < 0 ? text.Length - offset : newline;
            var line = text.Slice(offset, lineLength).TrimEnd((byte)'\r');
            if (!line.IsEmpty)
            {
                starts.Add(offset);
                lengths.Add(line.Length);
            }

            offset += lineLength + 1;
        }

        return new EventCorpus(buffer, [.. starts], [.. lengths]);
    }
}
