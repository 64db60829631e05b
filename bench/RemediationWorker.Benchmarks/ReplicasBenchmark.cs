using System.Globalization;
using RemediationWorker.IntegrationTests;

namespace RemediationWorker.Benchmarks;

/// <summary>Replicas benchmark (docs/benchmarks.md): N drift events on one moto queue, drained by R worker processes
/// (the real executable, as in the integration tests' <see cref="ReplicaSet"/>) that share one ledger, every run
/// succeeding at its first poll at an unlimited SSM front. For each replica count it reports the wall time from the
/// processes' start to the last run's end and the rate from the first start to the last end.
/// Usage: dotnet run -c Release --project bench/RemediationWorker.Benchmarks -- replicas [events] [replicas,...] [InMemory|DynamoDb] [handlers]</summary>
internal static class ReplicasBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var events = int.Parse(Arg(args, 0, "1000"), CultureInfo.InvariantCulture);
        var replicaCounts = Arg(args, 1, "1,3").Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture)).ToArray();
        var store = Arg(args, 2, "DynamoDb");
        var handlers = Arg(args, 3, "8");

        await using var aws = await AwsEndpoints.StartAsync();
        Console.WriteLine($"replicas: {events} drift events a round, ledger {store}, {handlers} handlers a replica, starts unlimited, each run ends at its first poll");
        Console.WriteLine("| replicas | wall (s) | first start → last end (s) | events/s | start calls | replica CPU (s) |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
        var offset = 500_000;
        foreach (var replicas in replicaCounts)
        {
            var (queue, _) = await aws.CreateQueuesAsync($"replicas-{replicas}-{offset}");
            var bodies = Enumerable.Range(offset, events).Select(TestEvents.Drift).ToList();
            var stacks = bodies.Select(b => ReplicaEvents.Identify(b).Stack).ToHashSet(StringComparer.Ordinal);
            offset += events;
            await aws.SendAllAsync(queue, bodies);

            var settings = WorkerProcessSettings.Live(aws, queue);
            settings["Intake:Sqs:Handlers"] = handlers;
            settings["Intake:Sqs:VisibilityTimeout"] = "00:00:30";
            settings["Audit:FlushToDisk"] = "false";
            settings["Aws:Automation:InitialStartRate"] = "200"; // the front does not limit: start at the limiter's ceiling
            await ReplicaLedger.ConfigureAsync(aws, settings, store, $"bench-ledger-{replicas}-{offset}");

            var directory = Directory.CreateTempSubdirectory("rw-bench-replicas-");
            var startCallsBefore = aws.Front.StartCalls;
            await using (var set = new ReplicaSet(replicas, directory.FullName, settings))
            {
                var started = TimeProvider.System.GetTimestamp();
                await set.StartAllAsync();
                await set.WaitUntilAsync(
                    async () => aws.Front.Runs.Count(r => r.Status == "Success" && stacks.Contains(r.Resource)) == events && await aws.CountAsync(queue) == 0,
                    TimeSpan.FromMinutes(10),
                    "the drain");
                var wall = TimeProvider.System.GetElapsedTime(started).TotalSeconds;
                var runs = aws.Front.Runs.Where(r => stacks.Contains(r.Resource)).ToList();
                var active = (runs.Max(r => r.Ended!.Value) - runs.Min(r => r.Started)).TotalSeconds;
                var cpu = Enumerable.Range(0, replicas).Sum(slot => set[slot].ProcessorTime.TotalSeconds);
                var exits = await set.TerminateAllAsync(TimeSpan.FromSeconds(30));
                if (exits.Any(code => code != 0))
                {
                    throw new InvalidOperationException($"a replica exited with {string.Join(", ", exits)}:\n{set.Outputs()}");
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {replicas} | {wall:F1} | {active:F1} | {events / active:F1} | {aws.Front.StartCalls - startCallsBefore} | {cpu:F1} |"));
            }

            directory.Delete(recursive: true);
        }

        return 0;
    }

    private static string Arg(string[] args, int index, string fallback) => args.Length > index ? args[index] : fallback;
}
