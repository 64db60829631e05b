using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using RemediationWorker.Aws;

namespace RemediationWorker.Configuration;

/// <summary>Reads the configuration document from a file or an S3 object. A read that finds the version already
/// held returns null: for S3 a conditional GET on the ETag (304, no body), for a file the same SHA-256.</summary>
internal sealed class ConfigurationDocumentReader : IDisposable
{
    /// <summary>How long the start-up read retries throttling, 5xx and network errors.</summary>
    public static readonly TimeSpan StartRetryLimit = TimeSpan.FromMinutes(2);

    private readonly Lazy<IAmazonS3> _s3;
    private int _s3Requests;

    /// <param name="s3">Created on the first S3 read only: a file-configured worker needs no AWS.</param>
    public ConfigurationDocumentReader(Func<IAmazonS3> s3) => _s3 = new Lazy<IAmazonS3>(s3);

    /// <summary>Requests made to S3 (for the benchmark's requests per hour and its test).</summary>
    public int S3Requests => _s3Requests;

    /// <exception cref="ConfigurationUnavailableException">Missing, AccessDenied, or not a readable file.</exception>
    /// <exception cref="AmazonServiceException">Another S3 failure (<see cref="AwsErrors.IsTransient"/> says whether to retry).</exception>
    public async Task<ConfigurationDocument?> ReadAsync(ConfigurationLocation location, ConfigurationDocument? held, CancellationToken cancellationToken)
    {
        if (!location.IsS3)
        {
            var file = ReadFile(location);
            return held is not null && held.Sha256 == file.Sha256 ? null : file;
        }

        var request = new GetObjectRequest { BucketName = location.Bucket, Key = location.Key };
        if (held?.ETag is { } etag)
        {
            request.EtagToNotMatch = etag;
        }

        try
        {
            Interlocked.Increment(ref _s3Requests);
            using var response = await _s3.Value.GetObjectAsync(request, cancellationToken);
            if (response.HttpStatusCode == HttpStatusCode.NotModified)
            {
                return null;
            }

            using var content = new MemoryStream();
            await response.ResponseStream.CopyToAsync(content, cancellationToken);
            return new ConfigurationDocument(location, content.ToArray(), NullIfEmpty(response.VersionId), response.ETag);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotModified)
        {
            return null;
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode is "NoSuchKey" or "NoSuchBucket" || ex.StatusCode == HttpStatusCode.NotFound)
        {
            throw new ConfigurationUnavailableException($"{location} does not exist ({ex.ErrorCode ?? "404"}): publish the configuration there (README \"Deploy to your account\")", ex);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.Forbidden || AwsErrors.IsFatal(ex))
        {
            throw new ConfigurationUnavailableException($"{location} cannot be read ({ex.ErrorCode ?? "403"}: {ex.Message}): the worker's role needs s3:GetObject on it (and kms:Decrypt if the bucket's key is customer-managed); without s3:ListBucket, S3 answers AccessDenied for a missing object too", ex);
        }
    }

    /// <summary>The read a starting worker makes: throttling, 5xx and network errors are retried with a growing
    /// delay (1 s doubling to 16 s) until <paramref name="limit"/> has passed; anything else fails at once.</summary>
    /// <param name="retrying">Told each failure that will be retried, with the delay before the next try.</param>
    public async Task<ConfigurationDocument> ReadAtStartAsync(ConfigurationLocation location, TimeProvider timeProvider, TimeSpan limit, Action<string, TimeSpan> retrying, CancellationToken cancellationToken)
    {
        var start = timeProvider.GetUtcNow();
        var delay = TimeSpan.FromSeconds(1);
        while (true)
        {
            try
            {
                return await ReadAsync(location, held: null, cancellationToken) ?? throw new InvalidOperationException("an unconditional read returned no document");
            }
            catch (Exception ex) when (AwsErrors.IsTransient(ex))
            {
                var elapsed = timeProvider.GetUtcNow() - start;
                if (elapsed + delay > limit)
                {
                    throw new ConfigurationUnavailableException($"{location} could not be read for {elapsed.TotalSeconds:0} s (the limit is {limit.TotalSeconds:0} s): {Describe(ex)}", ex);
                }

                retrying(Describe(ex), delay);
                await Task.Delay(delay, timeProvider, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(16).Ticks));
            }
        }
    }

    public void Dispose()
    {
        if (_s3.IsValueCreated)
        {
            _s3.Value.Dispose();
        }
    }

    public static string Describe(Exception exception) => exception is AmazonServiceException { ErrorCode: { } code } service
        ? $"{code} ({(int)service.StatusCode}): {service.Message}"
        : $"{exception.GetType().Name}: {exception.Message}";

    /// <exception cref="ConfigurationUnavailableException">No such file, or it cannot be read.</exception>
    public static ConfigurationDocument ReadFile(ConfigurationLocation location)
    {
        try
        {
            return new ConfigurationDocument(location, File.ReadAllBytes(location.FilePath!), null, null);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ConfigurationUnavailableException($"no configuration file at {location}", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationUnavailableException($"cannot read the configuration file {location}: {ex.Message}", ex);
        }
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
