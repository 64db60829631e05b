using System.Diagnostics;
using System.Text.Json.Nodes;
using Amazon.S3;
using Amazon.S3.Model;
using RemediationWorker.Configuration;

namespace RemediationWorker.IntegrationTests;

/// <summary>A configuration object the worker's credentials may not read, with moto enforcing IAM (after the set-up
/// requests): <c>run</c> and <c>validate</c> exit 2 at once with AccessDenied, no retry, no stack trace.</summary>
public sealed class ConfigurationAccessDeniedTests : IAsyncLifetime
{
    /// <summary>The set-up requests moto answers before it enforces IAM: bucket, object, user, access key.</summary>
    private const int SetUpRequests = 4;
    private const string Uri = "s3://locked-config/remediation.json";
    private MotoServer _moto = null!;

    public async Task InitializeAsync()
        => _moto = await MotoServer.StartAsync(environment: new Dictionary<string, string> { ["INITIAL_NO_AUTH_ACTION_COUNT"] = SetUpRequests.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    public async Task DisposeAsync() => await _moto.DisposeAsync();

    [Fact]
    public async Task Commands_ObjectTheCredentialsMayNotRead_ExitTwoAtOnceWithAccessDenied()
    {
        using (var s3 = new AmazonS3Client(AwsEndpoints.Credentials, S3ClientFactory.Configure(_moto.Url, AwsEndpoints.Region)))
        {
            await s3.PutBucketAsync(new PutBucketRequest { BucketName = "locked-config" });
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = "locked-config", Key = "remediation.json", ContentBody = "{}" });
        }

        var (keyId, secret) = await CreateUserWithoutPermissionsAsync();
        var environment = new Dictionary<string, string?>
        {
            ["AWS_ENDPOINT_URL"] = _moto.Url,
            ["AWS_REGION"] = AwsEndpoints.Region,
            ["AWS_ACCESS_KEY_ID"] = keyId,
            ["AWS_SECRET_ACCESS_KEY"] = secret,
        };

        var (validateExit, validateOutput) = await WorkerProcess.RunCommandAsync(TimeSpan.FromSeconds(60), environment, "validate", "--config", Uri);
        var (runExit, runOutput) = await WorkerProcess.RunCommandAsync(TimeSpan.FromSeconds(60), new Dictionary<string, string?>(environment) { ["REMEDIATION_CONFIG"] = Uri }, "run");

        Assert.True(validateExit == 2, validateOutput);
        Assert.Contains($"{Uri} cannot be read (AccessDenied", validateOutput, StringComparison.Ordinal);
        Assert.True(runExit == 2, runOutput);
        Assert.Contains("AccessDenied", runOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("trying again", runOutput, StringComparison.Ordinal); // AccessDenied is not retried
        Assert.DoesNotContain("   at ", runOutput, StringComparison.Ordinal);
    }

    /// <summary>IAM through boto3 (this project cannot restore an IAM client): a user with an access key and no policy.</summary>
    private async Task<(string KeyId, string Secret)> CreateUserWithoutPermissionsAsync()
    {
        const string Script = """
            import boto3, json, sys
            iam = boto3.client("iam", endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
            iam.create_user(UserName="config-reader")
            key = iam.create_access_key(UserName="config-reader")["AccessKey"]
            print(json.dumps([key["AccessKeyId"], key["SecretAccessKey"]]))
            """;
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Script);
        start.ArgumentList.Add(_moto.Url);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1), TimeProvider.System);
        Assert.True(process.ExitCode == 0, errors);
        var key = JsonNode.Parse(output)!.AsArray();
        return (key[0]!.GetValue<string>(), key[1]!.GetValue<string>());
    }
}
