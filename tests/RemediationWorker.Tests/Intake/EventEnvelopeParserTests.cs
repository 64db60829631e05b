using System.Diagnostics.CodeAnalysis;
using System.Text;
using EventPatterns;
using RemediationWorker.Intake;
using RemediationWorker.Tests.Remediation;
using RemediationWorker.Tests.TestSupport;

namespace RemediationWorker.Tests.Intake;

/// <summary>The envelope, read as the intake reads it: after the one strict walk (<see cref="EventIntakeCheck"/>).</summary>
public sealed class EventEnvelopeParserTests
{
    private static readonly EventLimits Limits = new();
    private static readonly PatternMatcher NoPatterns = PatternMatcher.Compile([], Limits.ToMatcherOptions());

    private static bool Read(ReadOnlySpan<byte> body, [NotNullWhen(true)] out EventEnvelope? envelope, [NotNullWhen(false)] out string? error)
        => EventIntakeCheck.TryRead(body, NoPatterns, Limits, [], null, out envelope, out error);

    [Fact]
    public void TryParse_RealStackStatusEvent_ReadsTheEnvelope()
    {
        var body = File.ReadAllBytes(RepositoryPaths.Sample("cfn-stack-update-rollback-failed.json"));

        Assert.True(Read(body, out var envelope, out _));
        Assert.Equal("c4d5e6f7-0819-4a2b-8c3d-4e5f6a7b8c9d", envelope.Id);
        Assert.Equal("aws.cloudformation", envelope.Source);
        Assert.Equal("CloudFormation Stack Status Change", envelope.DetailType);
        Assert.Equal(TestEvents.Account, envelope.Account);
        Assert.Equal(TestEvents.Region, envelope.Region);
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 8, 2, 0, TimeSpan.Zero), envelope.Time);
        Assert.Equal([TestEvents.OrdersStack], envelope.Resources);
    }

    [Fact]
    public void TryParse_ConfigEventWithEmptyResources_IsAnEvent()
    {
        var body = """{"version":"0","id":"a","detail-type":"Config Rules Compliance Change","source":"aws.config","account":"111122223333","time":"2026-11-26T08:00:00Z","region":"eu-west-1","resources":[],"detail":{"messageType":"ComplianceChangeNotification"}}"""u8;

        Assert.True(Read(body, out var envelope, out _));
        Assert.Empty(envelope.Resources);
    }

    [Theory]
    [InlineData("""{"id":"a"} trailing""", "malformed-json")]
    [InlineData("""{"id":1,"source":"s","detail-type":"d","account":"1","region":"r","time":"2026-11-26T08:00:00Z","detail":{}}""", "no id")]
    [InlineData("\"just a string\"", "not a JSON object")]
    public void TryParse_NotAnEvent_SaysWhy(string body, string expected)
    {
        Assert.False(Read(Encoding.UTF8.GetBytes(body), out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_DetailLastAndCutShort_RejectedByTheStrictRead()
    {
        // The envelope is complete before the detail, but the strict read goes through every byte first.
        var body = EventProcessorTests.DeepEvent(100)[..^10];

        Assert.False(Read(Encoding.UTF8.GetBytes(body), out _, out var error));
        Assert.StartsWith("too-deep: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_DetailBeforeEnvelopeFieldsAndTooDeep_SaysTooDeep()
    {
        var body = "{\"detail\":" + string.Concat(Enumerable.Repeat("{\"a\":", 70)) + "1" + new string('}', 70) + ",\"id\":\"1\"}";

        Assert.False(Read(Encoding.UTF8.GetBytes(body), out _, out var error));
        Assert.Equal("too-deep: nested deeper than 64 levels", error);
    }

    [Theory]
    [InlineData("2026-11-26T08:02:00Z", "2026-11-26T08:02:00.0000000+00:00")]
    [InlineData("2026-11-26T08:02:00.125Z", "2026-11-26T08:02:00.1250000+00:00")]
    [InlineData("2026-11-26T09:02:00+01:00", "2026-11-26T08:02:00.0000000+00:00")]
    [InlineData("2026-11-26T08:02:00", "2026-11-26T08:02:00.0000000+00:00")]
    [InlineData("2026-11-26 08:02:00Z", "2026-11-26T08:02:00.0000000+00:00")]
    [InlineData("2026-11-26T08:02:00\\u005A", "2026-11-26T08:02:00.0000000+00:00")]
    public void TryParse_TimeForms_AllReadAsUtc(string time, string expected)
    {
        // EventBridge's own form takes the reader's fast path; the others (an offset, no zone, a space, an escape) the
        // general parser, with no zone read as UTC.
        var body = $$$"""{"id":"a","source":"s","detail-type":"d","account":"1","region":"r","time":"{{{time}}}","detail":{}}""";

        Assert.True(Read(Encoding.UTF8.GetBytes(body), out var envelope, out var error), error);
        Assert.Equal(expected, envelope.Time.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(TimeSpan.Zero, envelope.Time.Offset);
    }

    [Theory]
    [InlineData("not a time")]
    [InlineData("2026-13-40T08:02:00Z")]
    public void TryParse_TimeNotIso_SaysWhich(string time)
    {
        var body = $$$"""{"id":"a","source":"s","detail-type":"d","account":"1","region":"r","time":"{{{time}}}","detail":{}}""";

        Assert.False(Read(Encoding.UTF8.GetBytes(body), out _, out var error));
        Assert.Equal($"not an EventBridge event: time \"{time}\" is not an ISO 8601 timestamp", error);
    }

    [Fact]
    public void TryParse_EscapedMemberNames_AreTheSameMembers()
    {
        var body = """{"\u0069d":"a","source":"s","detail\u002dtype":"d","account":"1","region":"r","time":"2026-11-26T08:02:00Z","resources":["x"],"detail":{}}"""u8;

        Assert.True(Read(body, out var envelope, out var error), error);
        Assert.Equal("a", envelope.Id);
        Assert.Equal("d", envelope.DetailType);
    }

    [Fact]
    public void TryParse_SeveralMembersMissing_NamesThemAll()
    {
        var body = """{"id":"a","source":"","account":"1","time":"2026-11-26T08:02:00Z"}"""u8;

        Assert.False(Read(body, out _, out var error));
        Assert.Equal("not an EventBridge event: no source, detail-type, region, detail (as strings, detail as an object)", error);
    }
}
