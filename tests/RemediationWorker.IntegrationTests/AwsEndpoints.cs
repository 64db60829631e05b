using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Amazon.SQS;
using Amazon.SQS.Model;
using RemediationWorker.Aws;

namespace RemediationWorker.IntegrationTests;

/// <summary>moto_server and the SSM front, shared by the scenarios of one collection.</summary>
public sealed class AwsEndpoints : IAsyncLifetime
{
    public const string Region = "us-east-1";

    public static readonly BasicAWSCredentials Credentials = new("testing", "testing");

    private MotoServer? _moto;
    private SsmFront? _front;

    public MotoServer Moto => _moto!;

    public SsmFront Front => _front!;

    public IAmazonSQS Sqs { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _moto = await MotoServer.StartAsync();
        _front = await SsmFront.StartAsync(_moto.Url);
        Sqs = CreateSqs();
    }

    public async Task DisposeAsync()
    {
        Sqs.Dispose();
        if (_front is not null)
        {
            await _front.DisposeAsync();
        }

        if (_moto is not null)
        {
            await _moto.DisposeAsync();
        }
    }

    public IAmazonSQS CreateSqs()
        => new AmazonSQSClient(Credentials, AwsClientFactory.Configure(new AmazonSQSConfig(), Region, new AwsServiceOptions { ServiceUrl = Moto.Url }));

    public IAmazonSimpleSystemsManagement CreateSsm()
        => new AmazonSimpleSystemsManagementClient(Credentials, AwsClientFactory.Configure(new AmazonSimpleSystemsManagementConfig(), Region, new AwsServiceOptions { ServiceUrl = Front.Url }));

    /// <summary>A fresh queue with its own dead-letter queue and redrive policy.</summary>
    public async Task<(string QueueUrl, string DeadLetterUrl)> CreateQueuesAsync(string name)
    {
        var dlq = await Sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = name + "-dlq" });
        var dlqArn = (await Sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = dlq.QueueUrl, AttributeNames = ["QueueArn"] })).Attributes["QueueArn"];
        var queue = await Sqs.CreateQueueAsync(new CreateQueueRequest
        {
            QueueName = name,
            Attributes = new Dictionary<string, string> { ["RedrivePolicy"] = $"{{\"deadLetterTargetArn\":\"{dlqArn}\",\"maxReceiveCount\":\"5\"}}" },
        });
        return (queue.QueueUrl, dlq.QueueUrl);
    }

    public async Task<int> CountAsync(string queueUrl)
    {
        var attributes = await Sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest
        {
            QueueUrl = queueUrl,
            AttributeNames = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        });
        return int.Parse(attributes.Attributes["ApproximateNumberOfMessages"], System.Globalization.CultureInfo.InvariantCulture)
               + int.Parse(attributes.Attributes["ApproximateNumberOfMessagesNotVisible"], System.Globalization.CultureInfo.InvariantCulture);
    }
}

[CollectionDefinition(Name)]
public sealed class AwsScenarios : ICollectionFixture<AwsEndpoints>
{
    public const string Name = "aws";
}
