using System.Diagnostics;
using System.Globalization;
using Amazon.SQS.Model;
using RemediationWorker.IntegrationTests;

namespace RemediationWorker.Benchmarks;

/// <summary>What one ReceiveMessage and one DeleteMessageBatch of 10 cost moto by the number of messages in the
/// queue, with moto's own ReceiveMessage and as the tests and the drain run it (moto/sitecustomize.py): the SQS client straight to
/// moto, no worker, no front. Usage: ... -- drain-sqs-cost [depth,...]</summary>
internal static class SqsCostProbe
{
    private const int Samples = 5;

    public static async Task<int> RunAsync(string[] args)
    {
        var depths = args.Length > 0 ? args[0].Split(',').Select(d => int.Parse(d, CultureInfo.InvariantCulture)).ToArray() : [10, 100, 500, 1000];
        var body = TestEvents.Drift(0);
        Console.WriteLine($"| moto | messages in the queue | ReceiveMessage of 10 (ms, median of up to {Samples}) | DeleteMessageBatch of 10 (ms, median) |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var (name, stock) in new[] { ("as installed", true), ("moto/sitecustomize.py", false) })
        {
            await using var aws = await AwsEndpoints.StartAsync(stockReceive: stock);
            foreach (var depth in depths)
            {
                var (queue, _) = await aws.CreateQueuesAsync($"cost-{depth}");
                for (var i = 0; i < depth; i += 10)
                {
                    await aws.Sqs.SendMessageBatchAsync(queue, Enumerable.Range(i, Math.Min(10, depth - i)).Select(n => new SendMessageBatchRequestEntry($"e{n}", body)).ToList());
                }

                var receives = new List<double>();
                var deletes = new List<double>();
                for (var i = 0; i < Math.Min(Samples, depth / 10); i++)
                {
                    var clock = Stopwatch.StartNew();
                    var received = await aws.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest
                    {
                        QueueUrl = queue,
                        MaxNumberOfMessages = 10,
                        VisibilityTimeout = 60,
                        MessageSystemAttributeNames = ["ApproximateReceiveCount"],
                    });
                    receives.Add(clock.Elapsed.TotalMilliseconds);
                    clock.Restart();
                    await aws.Sqs.DeleteMessageBatchAsync(queue, (received.Messages ?? []).Select((m, n) => new DeleteMessageBatchRequestEntry($"d{n}", m.ReceiptHandle)).ToList());
                    deletes.Add(clock.Elapsed.TotalMilliseconds);
                }

                Console.WriteLine($"| {name} | {depth} | {Median(receives):F0} | {Median(deletes):F0} |");
            }
        }

        return 0;
    }

    private static double Median(List<double> values) => values.Count == 0 ? double.NaN : values.Order().ElementAt(values.Count / 2);
}
