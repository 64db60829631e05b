using System.Diagnostics;
using System.Globalization;
using System.Text;
using RemediationWorker.Benchmarks;
using RemediationWorker.Commands;
using RemediationWorker.Replay;

// replay [--events N] [--matching 0.1] [--passes P]: times `replay` over N generated events with the audit written,
// P times in one process (one line each: the later passes show whether the first still paid for the JIT).
// Run from the repository root, pinned to one core: taskset -c 0 dotnet run -c Release --project bench/RemediationWorker.Benchmarks -- replay
// drain [events] [rate] [burst] [handlers,...] [idleSeconds]: the SQS → SSM drain (DrainBenchmark.cs).
// drain-sqs-cost [depth,...]: moto's cost of one receive and one delete by queue depth (SqsCostProbe.cs).
// replicas [events] [replicas,...] [InMemory|DynamoDb] [handlers]: worker processes sharing a ledger (ReplicasBenchmark.cs).
// ledger [events]: DynamoDB requests per handled event with Ledger:Store=DynamoDb (LedgerBenchmark.cs).
var count = ArgValue(args, "--events", 100_000);
var share = ArgValue(args, "--matching", 0.1);
var passes = ArgValue(args, "--passes", 1);
if (args.Length > 0 && args[0] == "drain")
{
    return await DrainBenchmark.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "drain-sqs-cost")
{
    return await SqsCostProbe.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "replicas")
{
    return await ReplicasBenchmark.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "ledger")
{
    return await LedgerBenchmark.RunAsync(args[1..]);
}

if (args.Length == 0 || args[0] != "replay")
{
    Console.Error.WriteLine("usage: replay [--events N] [--matching SHARE] [--passes P] | drain [events] [rate] [burst] [handlers,...] [idleSeconds] | drain-sqs-cost [depth,...] | replicas [events] [replicas,...] [InMemory|DynamoDb] [handlers] | ledger [events]");
    return 2;
}

var work = Path.GetFullPath(Path.Combine(".build", "bench", "replay"));
Directory.CreateDirectory(work);
var eventsPath = Path.Combine(work, $"events-{count}.jsonl");
if (!File.Exists(eventsPath))
{
    ReplayCorpus.Write(Path.Combine("samples", "events"), eventsPath, count, share, seed: 20261127);
}

var auditPath = Path.Combine(work, "audit.jsonl");
Environment.SetEnvironmentVariable("Audit__Path", auditPath);

// Warm-up on a small slice so the timed pass measures the steady state, not the JIT: repeated until two passes in a
// row took CPU times within 2% of each other, and for at least 3 CPU-seconds (at most 30 passes), as
// bench/EventPatterns.Benchmarks warms up. One pass left the tiered compiler's tier-1 work to the timed pass (its
// first pass of three ran about 15% slower than the others).
var warmPath = Path.Combine(work, "warmup.jsonl");
File.WriteAllLines(warmPath, File.ReadLines(eventsPath).Take(5_000));
using var process = Process.GetCurrentProcess();
var (warmups, lastWarmup) = (0, TimeSpan.Zero);
process.Refresh();
var warmStarted = process.TotalProcessorTime; // and for at least 3 CPU-seconds: two slow passes can agree too
while (warmups < 30)
{
    StartNewAuditChain();
    process.Refresh();
    var warmStart = process.TotalProcessorTime;
    await RunOnce(warmPath);
    process.Refresh();
    var took = process.TotalProcessorTime - warmStart;
    warmups++;
    if (warmups > 1 && Math.Abs((took - lastWarmup).TotalSeconds) <= 0.02 * lastWarmup.TotalSeconds && process.TotalProcessorTime - warmStarted >= TimeSpan.FromSeconds(3))
    {
        break;
    }

    lastWarmup = took;
}

Console.Error.WriteLine($"warm-up: {warmups} passes of 5,000 events{(warmups == 30 ? " (never two within 2%: gave up)" : string.Empty)}");
for (var pass = 1; pass <= passes; pass++)
{
    StartNewAuditChain();

    process.Refresh();
    var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
    var cpuBefore = process.TotalProcessorTime;
    var stopwatch = Stopwatch.StartNew();
    var output = await RunOnce(eventsPath);
    stopwatch.Stop();
    process.Refresh();

    // On a shared machine wall time includes waiting for the core; CPU time is what replay itself used.
    var cpu = process.TotalProcessorTime - cpuBefore;
    var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
    var auditLines = Directory.EnumerateFiles(work, "audit*.jsonl").Sum(f => File.ReadLines(f).LongCount()); // the chain may span segments
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"replay events={count} seconds={stopwatch.Elapsed.TotalSeconds:F2} events_per_second={count / stopwatch.Elapsed.TotalSeconds:F0} " +
        $"cpu_seconds={cpu.TotalSeconds:F2} events_per_cpu_second={count / cpu.TotalSeconds:F0} " +
        $"allocated_bytes_per_event={allocated / count} verdict_bytes={output} audit_records={auditLines} peak_working_set_mb={process.PeakWorkingSet64 / (1024.0 * 1024):F0} " +
        $"gc_heap_mb={GC.GetTotalMemory(forceFullCollection: true) / (1024.0 * 1024):F1}"));
}

return 0;

// The audit files of the last run go, and their digests with them: those would (rightly) refuse a chain that starts
// again at seq 1.
void StartNewAuditChain()
{
    foreach (var file in Directory.EnumerateFiles(work, "audit*.jsonl*"))
    {
        File.Delete(file);
    }

    if (Directory.Exists(Path.Combine(work, "digests")))
    {
        Directory.Delete(Path.Combine(work, "digests"), recursive: true);
    }
}

static async Task<long> RunOnce(string path)
{
    var counter = new CountingStream();
    await using (var writer = new StreamWriter(counter, new UTF8Encoding(false), 64 * 1024))
    {
        var exit = await ReplayCommand.RunAsync(path, configFile: null, ReplayFormat.Json, writer, Console.Error, CancellationToken.None);
        if (exit != 0)
        {
            throw new InvalidOperationException($"replay exited {exit}");
        }
    }

    return counter.Length;
}

static T ArgValue<T>(string[] args, string name, T fallback)
    where T : IParsable<T>
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? T.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}
