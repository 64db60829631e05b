using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using RemediationWorker.Configuration;

namespace RemediationWorker.Tests.Configuration;

/// <summary>The start-up read of an S3 configuration: what is retried, for how long, and what fails at once.</summary>
public sealed class ConfigurationDocumentReaderTests : IDisposable
{
    private static readonly ConfigurationLocation Location = ConfigurationLocation.Parse("s3://config-bucket/remediation.json");
    private readonly IAmazonS3 _s3 = Substitute.For<IAmazonS3>();
    private readonly ArmedTime _time = new();
    private readonly List<TimeSpan> _delays = [];
    private readonly ConfigurationDocumentReader _reader;

    public ConfigurationDocumentReaderTests() => _reader = new ConfigurationDocumentReader(() => _s3);

    [Theory]
    [InlineData("AccessDenied", HttpStatusCode.Forbidden, "cannot be read (AccessDenied")]
    [InlineData("NoSuchKey", HttpStatusCode.NotFound, "does not exist (NoSuchKey)")]
    [InlineData("NoSuchBucket", HttpStatusCode.NotFound, "does not exist (NoSuchBucket)")]
    public async Task ReadAtStart_PermanentFailure_FailsAtOnceSayingWhy(string code, HttpStatusCode status, string expected)
    {
        _s3.GetObjectAsync(Arg.Any<GetObjectRequest>(), Arg.Any<CancellationToken>()).ThrowsAsync(new AmazonS3Exception("refused") { ErrorCode = code, StatusCode = status });

        var ex = await Assert.ThrowsAsync<ConfigurationUnavailableException>(() => ReadAtStartAsync());

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Contains("s3://config-bucket/remediation.json", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, _reader.S3Requests);
        Assert.Empty(_delays);
    }

    [Fact]
    public async Task ReadAtStart_ThrottledThenServed_RetriesAndReturnsTheVersion()
    {
        _s3.GetObjectAsync(Arg.Any<GetObjectRequest>(), Arg.Any<CancellationToken>()).Returns(
            _ => throw new AmazonS3Exception("slow down") { ErrorCode = "SlowDown", StatusCode = HttpStatusCode.ServiceUnavailable },
            _ => throw new HttpRequestException("connection reset"),
            _ => Object("{}", "v2"));

        var read = ReadAtStartAsync();
        await AdvanceWhileRunningAsync(read);
        var document = await read;

        Assert.Equal("v2", document.VersionId);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], _delays);
    }

    [Fact]
    public async Task ReadAtStart_ServerErrorsForTwoMinutes_GivesUpWithTheLastError()
    {
        _s3.GetObjectAsync(Arg.Any<GetObjectRequest>(), Arg.Any<CancellationToken>()).ThrowsAsync(new AmazonS3Exception("internal") { ErrorCode = "InternalError", StatusCode = HttpStatusCode.InternalServerError });

        var read = ReadAtStartAsync();
        await AdvanceWhileRunningAsync(read);
        var ex = await Assert.ThrowsAsync<ConfigurationUnavailableException>(() => read);

        Assert.Contains("InternalError (500)", ex.Message, StringComparison.Ordinal);
        Assert.InRange(_delays.Aggregate(TimeSpan.Zero, (a, b) => a + b), TimeSpan.FromSeconds(100), ConfigurationDocumentReader.StartRetryLimit);
    }

    [Fact]
    public async Task Read_HeldVersionUnchanged_ConditionalGetAnswered304ReturnsNull()
    {
        var held = new ConfigurationDocument(Location, "{}"u8.ToArray(), "v1", "\"etag-1\"");
        _s3.GetObjectAsync(Arg.Is<GetObjectRequest>(r => r.EtagToNotMatch == "\"etag-1\""), Arg.Any<CancellationToken>())
            .ThrowsAsync(new AmazonS3Exception("Not Modified") { StatusCode = HttpStatusCode.NotModified });

        Assert.Null(await _reader.ReadAsync(Location, held, CancellationToken.None));
    }

    public void Dispose() => _reader.Dispose();

    private static GetObjectResponse Object(string json, string versionId) => new()
    {
        ResponseStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)),
        VersionId = versionId,
        ETag = "\"etag-2\"",
        HttpStatusCode = HttpStatusCode.OK,
    };

    private Task<ConfigurationDocument> ReadAtStartAsync()
        => _reader.ReadAtStartAsync(Location, _time, ConfigurationDocumentReader.StartRetryLimit, (_, delay) => _delays.Add(delay), CancellationToken.None);

    /// <summary>Advances the clock by each wait the reader arms, only once it is armed: advancing while the reader is
    /// still busy would count time it never waited.</summary>
    private async Task AdvanceWhileRunningAsync(Task task)
    {
        while (await Task.WhenAny(_time.Armed.WaitAsync(), task) != task)
        {
            _time.Advance(_time.LastDueTime);
        }
    }

    /// <summary>A fake clock that says when a timer is armed (the reader's only timer is its retry delay).</summary>
    private sealed class ArmedTime : TimeProvider
    {
        private readonly FakeTimeProvider _inner = new();

        public SemaphoreSlim Armed { get; } = new(0);

        public TimeSpan LastDueTime { get; private set; }

        public override DateTimeOffset GetUtcNow() => _inner.GetUtcNow();

        public override long GetTimestamp() => _inner.GetTimestamp();

        public override long TimestampFrequency => _inner.TimestampFrequency;

        public void Advance(TimeSpan delta) => _inner.Advance(delta);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = _inner.CreateTimer(callback, state, dueTime, period);
            LastDueTime = dueTime;
            Armed.Release();
            return timer;
        }
    }
}
