using System.Text.Json;
using System.Text.Json.Nodes;
using RemediationWorker.Playbooks;
using RemediationWorker.Tests.TestSupport;

namespace RemediationWorker.Tests.Playbooks;

public sealed class PatternSectionReaderTests
{
    [Fact]
    public void Read_ObjectForm_RestoresArraysObjectsAndOperators()
    {
        var pattern = """
            {"source":["aws.codebuild"],"detail":{"build-status":["FAILED"],"count":[{"numeric":[">",0,"<=",5.5]}],
             "project-name":[{"exists":true}],"id":[{"prefix":"arn:"},{"anything-but":["a","b"]}],"gone":[{"exists":false}],
             "flag":[true],"nothing":[null]}}
            """;

        var read = ReadFromObjectForm(pattern);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(pattern), JsonNode.Parse(read!)), read);
    }

    [Fact]
    public void Read_ObjectFormWithOr_KeepsBranchesAsPatterns()
    {
        var pattern = """{"detail":{"$or":[{"a":["1"]},{"numeric":[{"numeric":["=",3]}]}]}}""";

        var read = ReadFromObjectForm(pattern);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(pattern), JsonNode.Parse(read!)), read);
    }

    [Fact]
    public void Read_ObjectFormExactNumber_ReadsBackAsString()
    {
        // Documented limit of the object form: configuration keeps no types; use numeric or the string form.
        var read = ReadFromObjectForm("""{"detail":{"count":[200]}}""");

        Assert.Equal("""{"detail":{"count":["200"]}}""", read);
    }

    [Fact]
    public void Read_StringForm_TakesPatternExactly()
    {
        const string pattern = """{"detail":{"count":[200],"ok":[true]}}""";
        var configuration = TestConfiguration.FromJson(new JsonObject { ["pattern"] = pattern });

        Assert.Equal(pattern, PatternSectionReader.Read(configuration.GetSection("pattern")));
    }

    [Fact]
    public void Read_Missing_ReturnsNull()
    {
        var configuration = TestConfiguration.FromJson("{}");

        Assert.Null(PatternSectionReader.Read(configuration.GetSection("pattern")));
    }

    private static string? ReadFromObjectForm(string pattern)
    {
        var configuration = TestConfiguration.FromJson($$"""{"pattern": {{pattern}} }""");
        var read = PatternSectionReader.Read(configuration.GetSection("pattern"));
        Assert.NotNull(read);
        JsonDocument.Parse(read).Dispose();
        return read;
    }
}
