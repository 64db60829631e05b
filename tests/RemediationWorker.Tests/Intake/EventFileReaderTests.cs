using System.Text;
using RemediationWorker.Intake;

namespace RemediationWorker.Tests.Intake;

public sealed class EventFileReaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("events-").FullName;

    [Fact]
    public void Read_Directory_JsonAndJsonlInNameOrderOthersIgnored()
    {
        Write("b.jsonl", "{\"n\":2}\n\n{\"n\":3}\r\n   \n{\"n\":4}");
        Write("a.json", "{\n  \"n\": 1\n}\n");
        Write("c.txt", "{\"n\":99}");

        var events = EventFileReader.Read(_directory, 1024).ToList();

        Assert.Equal(["a.json", "b.jsonl:1", "b.jsonl:3", "b.jsonl:5"], events.Select(e => e.Name));
        Assert.Equal(["{\n  \"n\": 1\n}\n", "{\"n\":2}", "{\"n\":3}", "{\"n\":4}"], events.Select(e => Encoding.UTF8.GetString(e.Body.Span)));
    }

    [Fact]
    public void Read_LineOverTheLimit_ReportedAndTheNextLineStillRead()
    {
        Write("x.jsonl", "{\"big\":\"" + new string('a', 5000) + "\"}\n{\"n\":2}\n");

        var events = EventFileReader.Read(Path.Combine(_directory, "x.jsonl"), 1024).ToList();

        Assert.Equal("too-large: 5010 bytes, the limit is 1024", events[0].ReadError);
        Assert.Equal("{\"n\":2}", Encoding.UTF8.GetString(events[1].Body.Span));
    }

    [Fact]
    public void Read_JsonFileOverTheLimit_ReportedWithoutReadingIt()
    {
        Write("big.json", new string(' ', 2000) + "{}");

        Assert.StartsWith("too-large: 2002 bytes", Assert.Single(EventFileReader.Read(_directory, 1024)).ReadError, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_LinesAcrossTheReadBuffer_Reassembled()
    {
        var lines = Enumerable.Range(0, 5000).Select(i => $"{{\"n\":{i},\"pad\":\"{new string('p', i % 97)}\"}}").ToList();
        Write("many.jsonl", string.Join('\n', lines) + "\n");

        var read = EventFileReader.Read(_directory, 1024).Select(e => Encoding.UTF8.GetString(e.Body.Span)).ToList();

        Assert.Equal(lines, read);
    }

    [Fact]
    public void Read_ReusingTheBody_EachEventWholeWhileItIsTheCurrentOneAndOneBufferForAll()
    {
        // Growing lines (the buffer must grow), a BOM on one, a blank line, a line over the limit, and a .json file.
        var lines = Enumerable.Range(0, 300).Select(i => $"{{\"n\":{i},\"pad\":\"{new string('p', i * 20)}\"}}").ToList();
        Write("a.jsonl", "\uFEFF" + string.Join('\n', lines) + "\n\n{\"big\":\"" + new string('b', 9000) + "\"}\n{\"n\":\"last\"}\n");
        Write("b.json", "{\"n\":\"file\"}");

        var read = new List<string>();
        var buffers = new HashSet<byte[]>(ReferenceEqualityComparer.Instance);
        foreach (var incoming in EventFileReader.Read(_directory, 8000, reuseBody: true))
        {
            read.Add(incoming.ReadError ?? Encoding.UTF8.GetString(incoming.Body.Span)); // read while it is the current event
            if (incoming.Name.StartsWith("a.jsonl", StringComparison.Ordinal) && incoming.ReadError is null
                && System.Runtime.InteropServices.MemoryMarshal.TryGetArray(incoming.Body, out var segment))
            {
                buffers.Add(segment.Array!);
            }
        }

        Assert.Equal([.. lines, "too-large: 9010 bytes, the limit is 8000", "{\"n\":\"last\"}", "{\"n\":\"file\"}"], read);
        Assert.InRange(buffers.Count, 1, 3); // 4 KiB growing to 6 KiB: a handful of arrays for 301 lines, not one each
    }

    [Fact]
    public void ListFiles_Nothing_Throws()
        => Assert.Throws<FileNotFoundException>(() => EventFileReader.ListFiles(Path.Combine(_directory, "missing")));

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private void Write(string name, string content) => File.WriteAllText(Path.Combine(_directory, name), content);
}
