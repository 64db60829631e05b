using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Amazon.SQS;
using Amazon.SQS.Model;
using RemediationWorker.Aws;

namespace RemediationWorker.IntegrationTests;

/// <summary>moto_server and the SSM front (the scenarios share one; the benchmark starts its own).</summary>
public sealed class AwsEndpoints : IAsyncDisposable
{
    public const string Region = "us-east-1";

    public static readonly BasicAWSCredentials Credentials = new("testing", "testing");

    private MotoServer? _moto;
    private SsmFront? _front;

    public MotoServer Moto => _moto!;

    public SsmFront Front => _front!;

    public IAmazonSQS Sqs { get; private set; } = null!;

    /// <param name="stockReceive">See <see cref="MotoServer.StartAsync"/>.</param>
    public static async Task<AwsEndpoints> StartAsync(bool stockReceive = false)
    {
        var endpoints = new AwsEndpoints();
        await endpoints.InitializeAsync(stockReceive);
        return endpoints;
    }

    private async Task InitializeAsync(bool stockReceive)
    {
        _moto = await MotoServer.StartAsync(stockReceive);
        _front = await SsmFront.StartAsync(_moto.Url);
        Sqs = CreateSqs();
    }

    public async ValueTask DisposeAsync()
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

    /// <summary>An SQS client for moto; through the front when its calls are to be counted.</summary>
    public IAmazonSQS CreateSqs(bool throughFront = false)
        => new AmazonSQSClient(Credentials, AwsClientFactory.Configure(new AmazonSQSConfig(), Region, new AwsServiceOptions { ServiceUrl = throughFront ? Front.Url : Moto.Url }));

    public IAmazonSimpleSystemsManagement CreateSsm()
        => new AmazonSimpleSystemsManagementClient(Credentials, AwsClientFactory.Configure(new AmazonSimpleSystemsManagementConfig(), Region, new AwsServiceOptions { ServiceUrl = Front.Url }));

    /// <summary>A DynamoDB client for moto, through the front (which counts the calls by <c>X-Amz-Target</c> and
    /// forwards them one at a time, as DynamoDB isolates transactions).</summary>
    public IAmazonDynamoDB CreateDynamoDb()
        => new AmazonDynamoDBClient(Credentials, AwsClientFactory.Configure(new AmazonDynamoDBConfig(), Region, new AwsServiceOptions { ServiceUrl = Front.Url }));

    /// <summary>A fresh ledger table shaped as deploy/remediation-worker.yaml's: keys <c>pk</c>/<c>sk</c>, TTL on
    /// <c>expiresAt</c>.</summary>
    public async Task<string> CreateLedgerTableAsync(string name)
    {
        using var dynamoDb = CreateDynamoDb();
        await dynamoDb.CreateTableAsync(new CreateTableRequest
        {
            TableName = name,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S), new AttributeDefinition("sk", ScalarAttributeType.S)],
            KeySchema = [new KeySchemaElement("pk", KeyType.HASH), new KeySchemaElement("sk", KeyType.RANGE)],
        });
        await dynamoDb.UpdateTimeToLiveAsync(new UpdateTimeToLiveRequest
        {
            TableName = name,
            TimeToLiveSpecification = new TimeToLiveSpecification { AttributeName = "expiresAt", Enabled = true },
        });
        return name;
    }

    /// <summary>A fresh queue with its own dead-letter queue and redrive policy (after
    /// <paramref name="maxReceiveCount"/> receives).</summary>
    public async Task<(string QueueUrl, string DeadLetterUrl)> CreateQueuesAsync(string name, int maxReceiveCount = 5)
    {
        var dlq = await Sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = name + "-dlq" });
        var dlqArn = (await Sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = dlq.QueueUrl, AttributeNames = ["QueueArn"] })).Attributes["QueueArn"];
        var queue = await Sqs.CreateQueueAsync(new CreateQueueRequest
        {
            QueueName = name,
            Attributes = new Dictionary<string, string> { ["RedrivePolicy"] = $"{{\"deadLetterTargetArn\":\"{dlqArn}\",\"maxReceiveCount\":\"{maxReceiveCount}\"}}" },
        });
        return (queue.QueueUrl, dlq.QueueUrl);
    }

    /// <summary>Sends the bodies in batches of ten.</summary>
    public async Task SendAllAsync(string queueUrl, IReadOnlyList<string> bodies)
    {
        for (var i = 0; i < bodies.Count; i += 10)
        {
            var batch = Enumerable.Range(i, Math.Min(10, bodies.Count - i)).Select(n => new SendMessageBatchRequestEntry($"m{n}", bodies[n])).ToList();
            var response = await Sqs.SendMessageBatchAsync(queueUrl, batch);
            if (response.Failed is { Count: > 0 } failed)
            {
                throw new InvalidOperationException($"SQS refused {failed.Count} messages: {failed[0].Message}");
            }
        }
    }

    /// <summary>What <see cref="CountAsync"/> adds up: delayed messages too, since a deferred event waits in the queue
    /// as a delayed copy (docs/ledger.md, "Deferrals").</summary>
    private static readonly string[] CountedAttributes = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"];

    public async Task<int> CountAsync(string queueUrl)
    {
        var attributes = await Sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest
        {
            QueueUrl = queueUrl,
            AttributeNames = [.. CountedAttributes],
        });
        return CountedAttributes.Sum(name => attributes.Attributes.TryGetValue(name, out var count) ? int.Parse(count, System.Globalization.CultureInfo.InvariantCulture) : 0);
    }
}
