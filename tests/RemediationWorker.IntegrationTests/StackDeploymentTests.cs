using System.Diagnostics;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SQS;
using RemediationWorker.Aws;
using RemediationWorker.Configuration;
using RemediationWorker.Testing;

namespace RemediationWorker.IntegrationTests;

/// <summary>deploy/remediation-worker.yaml created in moto's CloudFormation (cloudformation/deploy_stack.py: boto3,
/// with Fn::ForEach and the Fn::If branches expanded as CloudFormation would), then its queue, dead-letter queue,
/// bucket, table and roles read back over the wire, and a configuration published to its bucket read by
/// <c>validate</c> from the stack's own ConfigurationUri output.</summary>
public sealed class StackDeploymentTests : IAsyncLifetime
{
    private const string Writer = "arn:aws:iam::123456789012:role/config-publisher";
    private MotoServer _moto = null!;

    public async Task InitializeAsync() => _moto = await MotoServer.StartAsync();

    public async Task DisposeAsync() => await _moto.DisposeAsync();

    [Fact]
    public async Task CreateStack_InMoto_QueuesBucketTableAndRolesExistAndTheWorkerReadsItsConfiguration()
    {
        var stack = await DeployAsync(new JsonObject
        {
            ["ImageTag"] = "0123abc",
            ["StackNamePrefix"] = "app-",
            ["CodeBuildProjectNames"] = "app-build,app-deploy",
            ["ConfigWriterPrincipalArns"] = Writer,
        });

        Assert.True(stack["status"]!.GetValue<string>() == "CREATE_COMPLETE", stack.ToJsonString());
        var resources = stack["resources"]!.AsArray().ToDictionary(r => r!["logical"]!.GetValue<string>(), r => (Type: r!["type"]!.GetValue<string>(), Physical: r["physical"]?.GetValue<string>()));
        Assert.Equal("AWS::SQS::Queue", resources["EventQueue"].Type);
        Assert.Equal("AWS::SQS::Queue", resources["DeadLetterQueue"].Type);
        Assert.Equal("AWS::S3::Bucket", resources["ConfigBucket"].Type);
        Assert.Equal("AWS::DynamoDB::Table", resources["LedgerTable"].Type);
        Assert.All(new[] { "RunbookRole", "TaskRole", "TaskExecutionRole" }, role => Assert.Equal("AWS::IAM::Role", resources[role].Type));
        Assert.DoesNotContain("aws-otel-collector", stack.ToJsonString(), StringComparison.Ordinal); // EnableCollector defaults to off
        var outputs = stack["outputs"]!.AsObject();

        using var sqs = new AmazonSQSClient(AwsEndpoints.Credentials, AwsClientFactory.Configure(new AmazonSQSConfig(), AwsEndpoints.Region, new AwsServiceOptions { ServiceUrl = _moto.Url }));
        var queueUrl = (await sqs.GetQueueUrlAsync(QueueName(outputs["EventQueueUrl"]!))).QueueUrl;
        var deadLetterUrl = (await sqs.GetQueueUrlAsync(QueueName(outputs["DeadLetterQueueUrl"]!))).QueueUrl;
        var queue = (await sqs.GetQueueAttributesAsync(queueUrl, ["All"])).Attributes;
        var deadLetterArn = (await sqs.GetQueueAttributesAsync(deadLetterUrl, ["QueueArn"])).Attributes["QueueArn"];
        var redrive = JsonNode.Parse(queue["RedrivePolicy"])!;
        Assert.Equal(deadLetterArn, redrive["deadLetterTargetArn"]!.GetValue<string>());
        Assert.Equal("20", redrive["maxReceiveCount"]!.ToString()); // the template's MaxReceiveCount default
        Assert.False(string.IsNullOrEmpty(queue.GetValueOrDefault("KmsMasterKeyId")), "the event queue is not encrypted with the stack's key");

        using var dynamo = new AmazonDynamoDBClient(AwsEndpoints.Credentials, AwsClientFactory.Configure(new AmazonDynamoDBConfig(), AwsEndpoints.Region, new AwsServiceOptions { ServiceUrl = _moto.Url }));
        var table = (await dynamo.DescribeTableAsync(outputs["LedgerTableName"]!.GetValue<string>())).Table;
        Assert.Equal(["pk", "sk"], table.KeySchema.Select(k => k.AttributeName));

        using var s3 = new AmazonS3Client(AwsEndpoints.Credentials, S3ClientFactory.Configure(_moto.Url, AwsEndpoints.Region));
        var bucket = outputs["ConfigBucketName"]!.GetValue<string>();
        // moto's CloudFormation applies the bucket's encryption but not its VersioningConfiguration (ConfigurationStackTests
        // checks that one in the template).
        var encryption = await s3.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = bucket });
        Assert.Equal(ServerSideEncryptionMethod.AES256, encryption.ServerSideEncryptionConfiguration.ServerSideEncryptionRules[0].ServerSideEncryptionByDefault.ServerSideEncryptionAlgorithm);
        var uri = outputs["ConfigurationUri"]!.GetValue<string>();
        Assert.Equal($"s3://{bucket}/remediation-worker/appsettings.json", uri);
        Assert.StartsWith("arn:aws:iam::123456789012:role/", outputs["RunbookRoleArn"]!.GetValue<string>(), StringComparison.Ordinal);

        var location = ConfigurationLocation.Parse(uri);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = location.Bucket, Key = location.Key, FilePath = Path.Combine(RepositoryPaths.Root, "appsettings.json") });
        var (exit, output) = await WorkerProcess.RunCommandAsync(TimeSpan.FromSeconds(60), new Dictionary<string, string?> { ["AWS_ENDPOINT_URL"] = _moto.Url, ["AWS_REGION"] = AwsEndpoints.Region }, "validate", "--config", uri);
        Assert.True(exit == 0, output);
    }

    private static string QueueName(JsonNode url) => url.GetValue<string>().Split('/')[^1];

    private async Task<JsonObject> DeployAsync(JsonObject parameters)
    {
        var script = Path.Combine(RepositoryPaths.Root, "tests", "RemediationWorker.IntegrationTests", "cloudformation", "deploy_stack.py");
        var start = new ProcessStartInfo("python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { script, _moto.Url, Path.Combine(RepositoryPaths.Root, "deploy", "remediation-worker.yaml"), parameters.ToJsonString() })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3), TimeProvider.System);
        var output = await stdout;
        Assert.True(process.ExitCode == 0, $"deploy_stack.py exited {process.ExitCode}:\n{output}\n{await stderr}");
        return JsonNode.Parse(output.Trim().Split('\n')[^1])!.AsObject();
    }
}
