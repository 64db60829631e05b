using RemediationWorker.Configuration;

namespace RemediationWorker.Tests.Configuration;

public sealed class ConfigurationDiscoveryTests : IDisposable
{
    private readonly string _working = Directory.CreateTempSubdirectory("cwd-").FullName;
    private readonly string _executable = Directory.CreateTempSubdirectory("exe-").FullName;
    private readonly Dictionary<string, string?> _environment = new(StringComparer.Ordinal);

    [Fact]
    public void Find_OptionGiven_WinsOverEverything()
    {
        _environment[ConfigurationDiscovery.EnvironmentVariable] = "s3://bucket/from-env.json";
        Touch(_working);

        var location = Find("s3://bucket/team/config.json");

        Assert.True(location.IsS3);
        Assert.Equal("bucket", location.Bucket);
        Assert.Equal("team/config.json", location.Key);
    }

    [Fact]
    public void Find_NoOption_EnvironmentVariableBeforeTheFiles()
    {
        _environment[ConfigurationDiscovery.EnvironmentVariable] = "/etc/remediation/config.json";
        Touch(_working);

        Assert.Equal("/etc/remediation/config.json", Find(null).FilePath);
    }

    [Fact]
    public void Find_NoOptionNoVariable_WorkingDirectoryBeforeTheExecutables()
    {
        Touch(_working);
        Touch(_executable);

        Assert.Equal(Path.Combine(_working, "appsettings.json"), Find(null).FilePath);
    }

    [Fact]
    public void Find_OnlyBesideTheExecutable_ThatOne()
    {
        Touch(_executable);

        Assert.Equal(Path.Combine(_executable, "appsettings.json"), Find(null).FilePath);
    }

    [Fact]
    public void Find_NothingAnywhere_ThrowsNamingEveryPlaceLooked()
    {
        var ex = Assert.Throws<ConfigurationUnavailableException>(() => Find(null));

        Assert.StartsWith("no configuration:", ex.Message, StringComparison.Ordinal);
        Assert.Contains("REMEDIATION_CONFIG is not set", ex.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_working, "appsettings.json"), ex.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_executable, "appsettings.json"), ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("s3://bucket")]
    [InlineData("s3://bucket/")]
    [InlineData("s3:///key.json")]
    public void Parse_S3UriWithoutBucketOrKey_ThrowsSayingTheForm(string text)
    {
        var ex = Assert.Throws<ConfigurationUnavailableException>(() => ConfigurationLocation.Parse(text));

        Assert.Contains("s3://BUCKET/KEY", ex.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        Directory.Delete(_working, recursive: true);
        Directory.Delete(_executable, recursive: true);
    }

    private static void Touch(string directory) => File.WriteAllText(Path.Combine(directory, "appsettings.json"), "{}");

    private ConfigurationLocation Find(string? option) => ConfigurationDiscovery.Find(option, _environment.GetValueOrDefault, _working, _executable);
}
