using System.Globalization;
using Amazon.SQS.Model;
using RemediationWorker.Audit;
using RemediationWorker.IntegrationTests;

namespace RemediationWorker.Benchmarks;

/// <summary>Drain benchmark (docs/benchmarks.md): N remediation events through the real worker, moto's SQS and the
/// SSM front limiting starts to RATE per second (burst BURST), for each handler count; then an idle minute's receives.
/// moto runs with the integration tests' patches, which take its per-message queue scan out of ReceiveMessage
/// (tests/…/moto/sitecustomize.py; BENCH_STOCK_MOTO=1 leaves that scan in), and a small warm-up drain first
/// JIT-compiles the process (BENCH_COLD=1 skips it).
/// Usage: dotnet run -c Release --project bench/RemediationWorker.Benchmarks -- drain [events] [rate] [burst] [handlers,...] [idleSeconds]</summary>
internal static class DrainBenchmark
{
    private const int WarmUpEvents = 100;

    public static async Task<int> RunAsync(string[] args)
    {
        var events = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
        var rate = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 50;
        var burst = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 5;
        var handlerCounts = args.Length > 3 ? args[3].Split(',').Select(h => int.Parse(h, CultureInfo.InvariantCulture)).ToArray() : [16, 64];
        var idleSeconds = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 60;
        var pollers = int.Parse(Environment.GetEnvironmentVariable("BENCH_POLLERS") ?? "1", CultureInfo.InvariantCulture);
        var stockMoto = Environment.GetEnvironmentVariable("BENCH_STOCK_MOTO") == "1";

        await using var aws = await AwsEndpoints.StartAsync(stockReceive: stockMoto);
        aws.Front.StartRate = rate;
        aws.Front.StartBurst = burst;
        aws.Front.PollsToFinish = 1;
        Console.WriteLine($"drain: {events} events, starts limited to {rate}/s (burst {burst}); ideal {events / rate:F1} s; " +
                          $"{pollers} poller(s); moto's ReceiveMessage {(stockMoto ? "as installed (a queue scan per message)" : "without its per-message queue scan (moto/sitecustomize.py)")}");
        var run = new DrainRun(aws, pollers);
        if (Environment.GetEnvironmentVariable("BENCH_COLD") != "1")
        {
            // The first drain in a process also JIT-compiles the worker, the SDK and Kestrel (about 1.5 s here),
            // which is the process starting, not the drain: it is timed separately.
            var warm = await run.DrainAsync(WarmUpEvents, 16, rate, trace: false);
            Console.WriteLine($"warm-up (not measured): {WarmUpEvents} events with 16 handlers in {warm.Seconds:F1} s");
        }

        Console.WriteLine("| handlers | drain (s) | × ideal | start calls | throttled | SQS requests | SQS req/message |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var handlers in handlerCounts)
        {
            var result = await run.DrainAsync(events, handlers, rate, Environment.GetEnvironmentVariable("BENCH_TRACE") == "1");
            Console.WriteLine($"| {handlers} | {result.Seconds:F1} | {result.Seconds / (events / rate):F2} | {result.StartCalls} | {result.Throttled} | {result.SqsRequests} | {(double)result.SqsRequests / events:F3} |");
        }

        if (idleSeconds > 0)
        {
            var receives = await run.IdleReceivesAsync(handlerCounts[^1], idleSeconds);
            Console.WriteLine($"idle: {receives} receive calls in {idleSeconds} s by {pollers} poller(s) ({receives * 60.0 / idleSeconds / pollers:F1} per minute per poller)");
        }

        return 0;
    }

    /// <summary>One drain's figures.</summary>
    private sealed record DrainResult(double Seconds, int StartCalls, int Throttled, int SqsRequests);

    /// <summary>Drains fresh queues on one moto and front, one worker host per drain.</summary>
    private sealed class DrainRun(AwsEndpoints aws, int pollers)
    {
        private int _queues;
        private int _eventOffset;

        public async Task<DrainResult> DrainAsync(int events, int handlers, double rate, bool trace)
        {
            var queue = await FillQueueAsync(events);
            var startsBefore = aws.Front.StartCalls;
            var throttledBefore = aws.Front.Throttled;
            var sqsBefore = SqsRequests();
            await using var worker = CreateWorker(queue, handlers);
            var started = TimeProvider.System.GetTimestamp();
            await worker.StartAsync();
            var limiter = (RemediationWorker.Execution.AdaptiveStartLimiter)worker.Services.GetService(typeof(RemediationWorker.Execution.AdaptiveStartLimiter))!;
            var lastReport = 0.0;
            await WorkerHarness.WaitUntilAsync(
                () =>
                {
                    var elapsed = TimeProvider.System.GetElapsedTime(started).TotalSeconds;
                    if (trace && elapsed - lastReport >= 1)
                    {
                        // started − succeeded = runs being tracked: how many handlers hold a run rather than wait for work.
                        lastReport = elapsed;
                        Console.WriteLine($"  t={elapsed:F0}s rate={limiter.CurrentRate:F1}/s started={worker.Count(AuditDecision.Started)} succeeded={worker.Count(AuditDecision.Succeeded)} throttled={aws.Front.Throttled - throttledBefore}");
                    }

                    return Task.FromResult(worker.Count(AuditDecision.Succeeded) >= events);
                },
                TimeSpan.FromMinutes(5),
                "the drain");
            var seconds = TimeProvider.System.GetElapsedTime(started).TotalSeconds;
            await Task.Delay(TimeSpan.FromSeconds(1), TimeProvider.System); // the last delete batch
            return new DrainResult(seconds, aws.Front.StartCalls - startsBefore, aws.Front.Throttled - throttledBefore, SqsRequests() - sqsBefore);
        }

        /// <summary>Receive calls on an empty queue while the worker waits for work.</summary>
        public async Task<int> IdleReceivesAsync(int handlers, int seconds)
        {
            var queue = await FillQueueAsync(0);
            await using var worker = CreateWorker(queue, handlers);
            await worker.StartAsync();
            var before = aws.Front.Forwarded.GetValueOrDefault("AmazonSQS.ReceiveMessage");
            await Task.Delay(TimeSpan.FromSeconds(seconds), TimeProvider.System);
            return aws.Front.Forwarded.GetValueOrDefault("AmazonSQS.ReceiveMessage") - before;
        }

        private async Task<string> FillQueueAsync(int events)
        {
            var (queue, _) = await aws.CreateQueuesAsync($"drain-{++_queues}");
            for (var i = 0; i < events; i += 10)
            {
                await aws.Sqs.SendMessageBatchAsync(queue, Enumerable.Range(i, Math.Min(10, events - i)).Select(n => new SendMessageBatchRequestEntry($"e{n}", TestEvents.Drift(_eventOffset + n))).ToList());
            }

            _eventOffset += events;
            return queue;
        }

        private WorkerHarness CreateWorker(string queue, int handlers) => new(aws, queue, new Dictionary<string, string?>
        {
            ["Intake:Sqs:Handlers"] = handlers.ToString(CultureInfo.InvariantCulture),
            ["Intake:Sqs:WaitTimeSeconds"] = "20",
            ["Intake:Sqs:Pollers"] = pollers.ToString(CultureInfo.InvariantCulture),
            ["Intake:Sqs:VisibilityTimeout"] = "00:01:00",
            ["Intake:Sqs:DeleteBatchWindow"] = "00:00:00.200",
            ["Aws:Automation:InitialStartRate"] = "10",
            ["Aws:Resilience:MaxRetryAttempts"] = "20",
        }, sqsThroughFront: Environment.GetEnvironmentVariable("BENCH_DIRECT") != "1");

        private int SqsRequests() => aws.Front.Forwarded.Where(f => f.Key.StartsWith("AmazonSQS.", StringComparison.Ordinal)).Sum(f => f.Value);
    }
}
