using System.Globalization;
using Amazon.SQS.Model;
using RemediationWorker.Audit;
using RemediationWorker.IntegrationTests;

namespace RemediationWorker.Benchmarks;

/// <summary>Drain benchmark (docs/benchmarks.md): N remediation events through the real worker, moto's SQS and the
/// SSM front limiting starts to RATE per second (burst BURST), for each handler count; then an idle minute's receives.
/// Usage: dotnet run -c Release --project bench/RemediationWorker.Benchmarks -- drain [events] [rate] [burst] [handlers,...] [idleSeconds]</summary>
internal static class DrainBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var events = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
        var rate = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 50;
        var burst = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 5;
        var handlerCounts = args.Length > 3 ? args[3].Split(',').Select(h => int.Parse(h, CultureInfo.InvariantCulture)).ToArray() : [16, 64];
        var idleSeconds = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 60;

        await using var aws = await AwsEndpoints.StartAsync();
        aws.Front.StartRate = rate;
        aws.Front.StartBurst = burst;
        aws.Front.PollsToFinish = 1;
        var ideal = events / rate;
        Console.WriteLine($"drain: {events} events, starts limited to {rate}/s (burst {burst}); ideal {ideal:F1} s");
        Console.WriteLine("| handlers | drain (s) | × ideal | start calls | throttled | SQS requests | SQS req/message |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
        var offset = 0;
        foreach (var handlers in handlerCounts)
        {
            var (queue, _) = await aws.CreateQueuesAsync($"drain-{handlers}");
            for (var i = 0; i < events; i += 10)
            {
                await aws.Sqs.SendMessageBatchAsync(queue, Enumerable.Range(i, Math.Min(10, events - i)).Select(n => new SendMessageBatchRequestEntry($"e{n}", TestEvents.Drift(offset + n))).ToList());
            }

            offset += events;
            var startsBefore = aws.Front.StartCalls;
            var throttledBefore = aws.Front.Throttled;
            var sqsBefore = aws.Front.Forwarded.Where(f => f.Key.StartsWith("AmazonSQS.", StringComparison.Ordinal)).Sum(f => f.Value);
            await using var worker = new WorkerHarness(aws, queue, new Dictionary<string, string?>
            {
                ["Intake:Sqs:Handlers"] = handlers.ToString(CultureInfo.InvariantCulture),
                ["Intake:Sqs:WaitTimeSeconds"] = "20",
                ["Intake:Sqs:Pollers"] = Environment.GetEnvironmentVariable("BENCH_POLLERS") ?? "1",
                ["Intake:Sqs:VisibilityTimeout"] = "00:01:00",
                ["Intake:Sqs:DeleteBatchWindow"] = "00:00:00.200",
                ["Aws:Automation:InitialStartRate"] = "10",
                ["Aws:Resilience:MaxRetryAttempts"] = "20",
            }, sqsThroughFront: Environment.GetEnvironmentVariable("BENCH_DIRECT") != "1");
            var started = TimeProvider.System.GetTimestamp();
            await worker.StartAsync();
            var limiter = (RemediationWorker.Execution.AdaptiveStartLimiter)worker.Services.GetService(typeof(RemediationWorker.Execution.AdaptiveStartLimiter))!;
            var trace = Environment.GetEnvironmentVariable("BENCH_TRACE") == "1";
            var lastReport = 0.0;
            await WorkerHarness.WaitUntilAsync(
                () =>
                {
                    var elapsed = TimeProvider.System.GetElapsedTime(started).TotalSeconds;
                    if (trace && elapsed - lastReport >= 1)
                    {
                        lastReport = elapsed;
                        Console.WriteLine($"  t={elapsed:F0}s rate={limiter.CurrentRate:F1}/s started={worker.Count(AuditDecision.Started)} succeeded={worker.Count(AuditDecision.Succeeded)} throttled={aws.Front.Throttled - throttledBefore}");
                    }

                    return Task.FromResult(worker.Count(AuditDecision.Succeeded) >= events);
                },
                TimeSpan.FromMinutes(5),
                "the drain");
            var drain = TimeProvider.System.GetElapsedTime(started).TotalSeconds;
            await Task.Delay(TimeSpan.FromSeconds(1), TimeProvider.System); // the last delete batch
            var sqs = aws.Front.Forwarded.Where(f => f.Key.StartsWith("AmazonSQS.", StringComparison.Ordinal)).Sum(f => f.Value) - sqsBefore;
            Console.WriteLine($"| {handlers} | {drain:F1} | {drain / ideal:F2} | {aws.Front.StartCalls - startsBefore} | {aws.Front.Throttled - throttledBefore} | {sqs} | {(double)sqs / events:F3} |");

            if (handlers == handlerCounts[^1] && idleSeconds > 0)
            {
                var receivesBefore = aws.Front.Forwarded.GetValueOrDefault("AmazonSQS.ReceiveMessage");
                await Task.Delay(TimeSpan.FromSeconds(idleSeconds), TimeProvider.System);
                var receives = aws.Front.Forwarded.GetValueOrDefault("AmazonSQS.ReceiveMessage") - receivesBefore;
                Console.WriteLine($"idle: {receives} receive calls in {idleSeconds} s by one poller ({receives * 60.0 / idleSeconds:F1} per minute)");
            }
        }

        return 0;
    }
}
