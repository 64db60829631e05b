using System.Net;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RemediationWorker.Audit;
using RemediationWorker.Aws;
using RemediationWorker.Commands;
using RemediationWorker.Configuration;

namespace RemediationWorker.IntegrationTests;

/// <summary>The audit anchor over moto's S3 and KMS wire protocols (issue 16): an Object Lock bucket in compliance
/// mode (created through the API: moto's CloudFormation ignores ObjectLockConfiguration), segments and digests
/// shipped with <c>If-None-Match: *</c>, digests signed by a KMS ECC_NIST_P256 key, and <c>audit verify</c> reading
/// the archive with the key's public half.</summary>
public sealed class AuditAnchorS3Tests : IAsyncLifetime, IDisposable
{
    private const string Bucket = "remediation-audit-anchor";
    private const string Prefix = "audit";

    private readonly string _directory = Directory.CreateTempSubdirectory("audit-anchor-").FullName;
    private MotoServer _moto = null!;
    private AmazonS3Client _s3 = null!;
    private AmazonKeyManagementServiceClient _kms = null!;
    private string _keyId = null!;

    public async Task InitializeAsync()
    {
        _moto = await MotoServer.StartAsync();
        _s3 = NewS3();
        _kms = new AmazonKeyManagementServiceClient(AwsEndpoints.Credentials, AwsClientFactory.Configure(new AmazonKeyManagementServiceConfig(), AwsEndpoints.Region, new AwsServiceOptions { ServiceUrl = _moto.Url }));
        await _s3.PutBucketAsync(new PutBucketRequest { BucketName = Bucket, ObjectLockEnabledForBucket = true });
        await _s3.PutObjectLockConfigurationAsync(new PutObjectLockConfigurationRequest
        {
            BucketName = Bucket,
            ObjectLockConfiguration = new ObjectLockConfiguration
            {
                ObjectLockEnabled = ObjectLockEnabled.Enabled,
                Rule = new ObjectLockRule { DefaultRetention = new DefaultRetention { Mode = ObjectLockRetentionMode.Compliance, Days = 1 } },
            },
        });
        var key = await _kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.ECC_NIST_P256, KeyUsage = KeyUsageType.SIGN_VERIFY });
        _keyId = key.KeyMetadata.Arn;
    }

    public async Task DisposeAsync()
    {
        await _moto.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    public void Dispose()
    {
        _s3?.Dispose();
        _kms?.Dispose();
    }

    private string AuditPath => Path.Combine(_directory, "audit", "worker-a.jsonl");

    [Fact]
    public async Task Ship_ClosedSegmentsAndDigests_AreLockedSignedAndVerifyFromTheArchive()
    {
        await WriteShippedChainAsync();

        var keys = (await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket })).S3Objects.Select(o => o.Key).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(
            [
                "audit/worker-1/digests/worker-a.000000000003.digest.json",
                "audit/worker-1/digests/worker-a.000000000006.digest.json",
                "audit/worker-1/worker-a.000000000001.jsonl",
                "audit/worker-1/worker-a.000000000004.jsonl",
            ],
            keys);

        var (exitCode, output) = await VerifyAsync([$"s3://{Bucket}/{Prefix}"], digests: null, publicKey: await PublicKeyPemAsync());
        Assert.True(exitCode == 0, output);
        Assert.Contains("anchored: seq 1..6 by 2 digests, signatures verified", output, StringComparison.Ordinal);

        // The local files against the archive's digests: the same verdict.
        var (localExit, localOutput) = await VerifyAsync([Path.GetDirectoryName(AuditPath)!], $"s3://{Bucket}/{Prefix}", await PublicKeyPemAsync());
        Assert.True(localExit == 0, localOutput);
    }

    [Fact]
    public async Task Archive_ExistingKey_IsNeverOverwrittenAndLockedVersionsCannotBeDeleted()
    {
        await WriteShippedChainAsync();
        const string Key = "audit/worker-1/worker-a.000000000001.jsonl";

        var overwrite = await Assert.ThrowsAsync<AmazonS3Exception>(() => _s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = Bucket, Key = Key, ContentBody = "{}\n", IfNoneMatch = "*",
        }));
        Assert.Equal(HttpStatusCode.PreconditionFailed, overwrite.StatusCode);

        var version = (await _s3.GetObjectMetadataAsync(Bucket, Key)).VersionId;
        await Assert.ThrowsAsync<AmazonS3Exception>(() => _s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Bucket, Key = Key, VersionId = version }));

        // The archive's own upload of an existing key counts as stored (a retry whose first attempt succeeded).
        var archive = new S3AuditArchive(_s3, Bucket, Prefix, "worker-1");
        var local = Path.Combine(_directory, "again.jsonl");
        await File.WriteAllTextAsync(local, "{}\n");
        await archive.PutAsync("worker-a.000000000001.jsonl", local, CancellationToken.None);
        var (exitCode, output) = await VerifyAsync([$"s3://{Bucket}/{Prefix}"], digests: null, publicKey: await PublicKeyPemAsync());
        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public async Task Verify_ArchiveWithAWorkerWithoutSegments_ReportsTheMissingWorker()
    {
        await WriteShippedChainAsync();
        var digest = Directory.GetFiles(Path.Combine(_directory, "audit", "digests")).Order(StringComparer.Ordinal).First();
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = $"audit/worker-2/digests/{Path.GetFileName(digest).Replace("worker-a", "worker-b", StringComparison.Ordinal)}", FilePath = digest, IfNoneMatch = "*" });

        var (exitCode, output) = await VerifyAsync([$"s3://{Bucket}/{Prefix}"], digests: null, publicKey: null);

        Assert.Equal(1, exitCode);
        Assert.Contains("missing worker: worker-2 has digests of worker-b up to seq 3 and no segment", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_LocalFilesAgainstTheArchive_ReportsAWorkerWhoseFilesWereNotGiven()
    {
        await WriteShippedChainAsync();
        var other = Path.Combine(_directory, "other");
        Directory.CreateDirectory(other);

        var (exitCode, output) = await VerifyAsync([other], $"s3://{Bucket}/{Prefix}", publicKey: null);

        Assert.Equal(1, exitCode);
        Assert.Contains("missing worker: worker-1 has digests of worker-a up to seq 6, and none of its files was given", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_ReplicasSharingAChainName_EachFolderAgainstItsOwnWorkersDigests()
    {
        await WriteShippedChainAsync();
        var second = Path.Combine(_directory, "second", "worker-a.jsonl");
        await WriteShippedChainAsync(second, "worker-2", records: 4);

        var (exitCode, output) = await VerifyAsync([Path.GetDirectoryName(second)!], $"s3://{Bucket}/{Prefix}", publicKey: null);

        Assert.Contains("anchored: seq 1..4 by 2 digests", output, StringComparison.Ordinal);
        Assert.Contains("missing worker: worker-1", output, StringComparison.Ordinal); // its files were not given
        Assert.Equal(1, exitCode);
    }

    /// <summary>Three records, a rotation, the rest, then shutdown (which closes and ships the open segment).</summary>
    private async Task WriteShippedChainAsync(string? path = null, string worker = "worker-1", int records = 6)
    {
        var options = Options.Create(new AuditOptions { Path = path ?? AuditPath, FlushToDisk = false, LogToStdout = false });
        var archive = new S3AuditArchive(_s3, Bucket, Prefix, worker);
        var signer = new KmsAuditDigestSigner(_kms, _keyId);
        await using var sink = new JsonLinesAuditSink(options, NullLogger<JsonLinesAuditSink>.Instance, TimeProvider.System, worker, archive, signer);
        for (var i = 0; i < records; i++)
        {
            await sink.WriteAsync(new AuditRecord { Time = DateTimeOffset.UnixEpoch.AddSeconds(i), WorkerId = worker, Decision = AuditDecision.NoMatch, ConfigHash = "c0ffee12", EventId = $"evt-{i}" }, CancellationToken.None);
            if (i == 2)
            {
                await sink.RotateAsync(onlyWhenDue: false, CancellationToken.None);
            }
        }
    }

    private async Task<string> PublicKeyPemAsync()
    {
        var response = await _kms.GetPublicKeyAsync(new GetPublicKeyRequest { KeyId = _keyId });
        var path = Path.Combine(_directory, "public.pem");
        await File.WriteAllTextAsync(path, new string(System.Security.Cryptography.PemEncoding.Write("PUBLIC KEY", response.PublicKey.ToArray())));
        return path;
    }

    private async Task<(int ExitCode, string Output)> VerifyAsync(string[] inputs, string? digests, string? publicKey)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await AuditVerifyCommand.RunAsync(inputs, digests, publicKey, output, error, NewS3, CancellationToken.None);
        return (exitCode, output.ToString() + error);
    }

    private AmazonS3Client NewS3() => new(AwsEndpoints.Credentials, S3ClientFactory.Configure(_moto.Url, AwsEndpoints.Region));
}
