using System.Diagnostics.Metrics;

namespace RemediationWorker.Diagnostics;

/// <summary>The worker's instruments, on the meter <see cref="MeterName"/> (docs/operations.md lists them with
/// units and tags). A tag that does not apply is <c>none</c>, never absent, so a dashboard can group by it.</summary>
internal sealed class WorkerMetrics
{
    public const string MeterName = "RemediationWorker";
    public const string None = "none";

    private readonly Counter<long> _received;
    private readonly Counter<long> _matched;
    private readonly Counter<long> _decisions;
    private readonly Counter<long> _runsStarted;
    private readonly Counter<long> _runsTakenOver;
    private readonly Counter<long> _runOutcomes;
    private readonly Histogram<double> _runDuration;
    private readonly Counter<long> _sqsCalls;
    private readonly Counter<long> _ssmCalls;
    private readonly Counter<long> _dynamoDbCalls;
    private readonly Counter<long> _throttles;

    public WorkerMetrics(IMeterFactory meterFactory)
    {
        Meter = meterFactory.Create(MeterName);
        _received = Meter.CreateCounter<long>("remediation.events.received", "{event}", "Inputs taken from the event source, valid or not");
        _matched = Meter.CreateCounter<long>("remediation.events.matched", "{event}", "Events matched by a playbook, per playbook");
        _decisions = Meter.CreateCounter<long>("remediation.decisions", "{decision}", "Decisions: rejected, no-match, skipped, planned, succeeded, failed, timed-out, escalated (final), deferred (the event waits for redelivery)");
        _runsStarted = Meter.CreateCounter<long>("remediation.runs.started", "{run}", "Runbooks started (Live) or planned (DryRun)");
        _runsTakenOver = Meter.CreateCounter<long>("remediation.runs.taken_over", "{run}", "Runs of a dead replica taken over (found again, or started if it never got that far); not counted as started");
        _runOutcomes = Meter.CreateCounter<long>("remediation.runs.outcomes", "{run}", "Runbook outcomes: planned, succeeded, failed, timed-out");
        _runDuration = Meter.CreateHistogram<double>("remediation.runs.duration", "s", "From the start of a live runbook to its terminal status");
        _sqsCalls = Meter.CreateCounter<long>("remediation.sqs.calls", "{call}", "SQS API calls, by operation and result");
        _ssmCalls = Meter.CreateCounter<long>("remediation.ssm.calls", "{call}", "SSM API calls, by operation and result");
        _dynamoDbCalls = Meter.CreateCounter<long>("remediation.dynamodb.calls", "{call}", "DynamoDB API calls of the ledger, by operation and result");
        _throttles = Meter.CreateCounter<long>("remediation.aws.throttles", "{call}", "AWS API calls refused with a throttling error, by service and operation");
    }

    public Meter Meter { get; }

    public void EventReceived(string? source) => _received.Add(1, new KeyValuePair<string, object?>("event.source", source ?? None));

    public void EventMatched(string playbook) => _matched.Add(1, new KeyValuePair<string, object?>("playbook", playbook));

    public void Decision(string decision, string? guard, string? playbook) => _decisions.Add(
        1,
        new KeyValuePair<string, object?>("decision", decision),
        new KeyValuePair<string, object?>("guard", guard ?? None),
        new KeyValuePair<string, object?>("playbook", playbook ?? None));

    /// <param name="mode"><c>DryRun</c> or <c>Live</c>.</param>
    public void RunStarted(string playbook, string mode) => _runsStarted.Add(
        1,
        new KeyValuePair<string, object?>("playbook", playbook),
        new KeyValuePair<string, object?>("mode", mode));

    /// <summary>A dead replica's run taken over: found again by its ClientToken (or started, or planned), counted
    /// here instead of in <c>remediation.runs.started</c>.</summary>
    public void RunTakenOver(string playbook) => _runsTakenOver.Add(1, new KeyValuePair<string, object?>("playbook", playbook));

    /// <param name="outcome">The audit decision's wire name: <c>planned</c>, <c>succeeded</c>, <c>failed</c>, <c>timed-out</c>.</param>
    /// <param name="duration">Recorded in <c>remediation.runs.duration</c> when given (live runs that ran).</param>
    public void RunEnded(string playbook, string outcome, TimeSpan? duration)
    {
        var playbookTag = new KeyValuePair<string, object?>("playbook", playbook);
        var outcomeTag = new KeyValuePair<string, object?>("outcome", outcome);
        _runOutcomes.Add(1, playbookTag, outcomeTag);
        if (duration is { } d)
        {
            _runDuration.Record(d.TotalSeconds, playbookTag, outcomeTag);
        }
    }

    /// <summary>One request an SDK client sent (the SDK's own retries are off, so one attempt), on the service's
    /// call counter, and on the throttle counter too when it was throttled.</summary>
    /// <param name="service"><c>sqs</c>, <c>ssm</c> or <c>dynamodb</c>.</param>
    /// <param name="operation">The API name: <c>ReceiveMessage</c>, <c>StartAutomationExecution</c>, <c>TransactWriteItems</c>, …</param>
    /// <param name="result"><c>ok</c>, <c>throttled</c> or <c>error</c>.</param>
    public void AwsCall(string service, string operation, string result)
    {
        var calls = service switch
        {
            "sqs" => _sqsCalls,
            "ssm" => _ssmCalls,
            "dynamodb" => _dynamoDbCalls,
            _ => throw new ArgumentOutOfRangeException(nameof(service), service, "sqs, ssm or dynamodb"),
        };
        calls.Add(1, new KeyValuePair<string, object?>("operation", operation), new KeyValuePair<string, object?>("result", result));
        if (result == "throttled")
        {
            _throttles.Add(1, new KeyValuePair<string, object?>("service", service), new KeyValuePair<string, object?>("operation", operation));
        }
    }
}
