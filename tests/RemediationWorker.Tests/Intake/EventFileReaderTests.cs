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

        Assert.Equal("too large: 5010 bytes, the limit is 1024", events[0].ReadError);
        Assert.Equal("{\"n\":2}", Encoding.UTF8.GetString(events[1].Body.Span));
    }

    [Fact]
    public void Read_JsonFileOverTheLimit_ReportedWithoutReadingIt()
    {
        Write("big.json", new string(' ', 2000) + "{}");

        Assert.StartsWith("too large: 2002 bytes", Assert.Single(EventFileReader.Read(_directory, 1024)).ReadError, StringComparison.Ordinal);
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
    public void ListFiles_Nothing_Throws()
        => Assert.Throws<FileNotFoundException>(() => EventFileReader.ListFiles(Path.Combine(_directory, "missing")));

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private void Write(string name, string content) => File.WriteAllText(Path.Combine(_directory, name), content);
}
