using System.Globalization;
using Amazon.SQS.Model;
using RemediationWorker.Audit;
using RemediationWorker.IntegrationTests;

namespace RemediationWorker.Benchmarks;

/// <summary>Ledger round trips per handled event (docs/benchmarks.md): the real worker with
/// <c>Ledger:Store=DynamoDb</c> on moto, its DynamoDB calls counted by the SSM front they pass through. Phases of
/// N events: each starts a run on a stack of its own (on the new table, then again on other stacks); each is
/// skipped by a guard (the first stacks again, within the cooldown); none matches a playbook.
/// Usage: dotnet run -c Release --project bench/RemediationWorker.Benchmarks -- ledger [events]</summary>
internal static class LedgerBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var events = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 50;
        await using var aws = await AwsEndpoints.StartAsync();
        var table = await aws.CreateLedgerTableAsync("ledger-bench");
        var (queue, _) = await aws.CreateQueuesAsync("ledger-bench");
        await using var worker = new WorkerHarness(aws, queue, new Dictionary<string, string?>
        {
            ["Ledger:Store"] = "DynamoDb",
            ["Ledger:TableName"] = table,
        });
        await worker.StartAsync();

        Console.WriteLine($"ledger: {events} events per phase, DynamoDB requests counted at the front");
        Console.WriteLine("| event | final decision | DynamoDB requests | per event | by operation |");
        Console.WriteLine("|---|---|---:|---:|---|");
        // The first starts on a new table also create its leases item (concurrent handlers race to do it once).
        await PhaseAsync(aws, queue, worker, "starts a run, new table", AuditDecision.Succeeded, events, n => TestEvents.Drift(n));
        await PhaseAsync(aws, queue, worker, "starts a run", AuditDecision.Succeeded, events, n => TestEvents.Drift(events + n));
        await PhaseAsync(aws, queue, worker, "skipped by a guard (cooldown)", AuditDecision.Skipped, events, n => TestEvents.Drift(n));
        await PhaseAsync(aws, queue, worker, "matches no playbook", AuditDecision.NoMatch, events, _ => TestEvents.Sample("cfn-stack-create-complete.json"));
        return 0;
    }

    private static async Task PhaseAsync(AwsEndpoints aws, string queue, WorkerHarness worker, string label, AuditDecision decision, int events, Func<int, string> body)
    {
        var before = DynamoDbCalls(aws);
        var decidedBefore = worker.Count(decision);
        for (var i = 0; i < events; i += 10)
        {
            await aws.Sqs.SendMessageBatchAsync(queue, Enumerable.Range(i, Math.Min(10, events - i)).Select(n => new SendMessageBatchRequestEntry($"e{n}", body(n))).ToList());
        }

        await WorkerHarness.WaitUntilAsync(() => Task.FromResult(worker.Count(decision) - decidedBefore >= events), TimeSpan.FromMinutes(5), label);
        var after = DynamoDbCalls(aws);
        var byOperation = after.Select(a => (a.Key, Count: a.Value - before.GetValueOrDefault(a.Key))).Where(a => a.Count > 0).ToList();
        var total = byOperation.Sum(o => o.Count);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {label} | {decision.ToWireName()} | {total} | {(double)total / events:F2} | {string.Join(", ", byOperation.Select(o => $"{o.Key} {o.Count}"))} |"));
    }

    private static Dictionary<string, int> DynamoDbCalls(AwsEndpoints aws)
        => aws.Front.Forwarded.Where(f => f.Key.StartsWith("DynamoDB_20120810.", StringComparison.Ordinal))
            .ToDictionary(f => f.Key["DynamoDB_20120810.".Length..], f => f.Value);
}
