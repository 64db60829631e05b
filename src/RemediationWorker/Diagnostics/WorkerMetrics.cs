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
        _decisions = Meter.CreateCounter<long>("remediation.decisions", "{decision}", "Final decisions: rejected, no-match, skipped, planned, succeeded, failed, timed-out, escalated");
        _runsStarted = Meter.CreateCounter<long>("remediation.runs.started", "{run}", "Runbooks started (Live) or planned (DryRun)");
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

    /// <summary>For the SQS intake: one call per SQS request (after the SDK's own retries).</summary>
    /// <param name="operation">The API name: <c>ReceiveMessage</c>, <c>DeleteMessage</c>, <c>ChangeMessageVisibility</c>, <c>SendMessage</c>.</param>
    /// <param name="result"><c>ok</c>, <c>throttled</c> or <c>error</c>.</param>
    public void SqsCall(string operation, string result = "ok") => _sqsCalls.Add(
        1,
        new KeyValuePair<string, object?>("operation", operation),
        new KeyValuePair<string, object?>("result", result));

    /// <summary>For the SSM runner: one call per SSM request.</summary>
    /// <param name="operation">The API name: <c>StartAutomationExecution</c>, <c>GetAutomationExecution</c>, <c>StopAutomationExecution</c>, <c>CreateOpsItem</c>, …</param>
    /// <param name="result"><c>ok</c>, <c>throttled</c> or <c>error</c>.</param>
    public void SsmCall(string operation, string result = "ok") => _ssmCalls.Add(
        1,
        new KeyValuePair<string, object?>("operation", operation),
        new KeyValuePair<string, object?>("result", result));

    /// <summary>For the DynamoDB ledger: one call per DynamoDB request.</summary>
    /// <param name="operation">The API name: <c>BatchGetItem</c>, <c>TransactWriteItems</c>, <c>UpdateItem</c>, …</param>
    /// <param name="result"><c>ok</c>, <c>throttled</c> or <c>error</c>.</param>
    public void DynamoDbCall(string operation, string result = "ok") => _dynamoDbCalls.Add(
        1,
        new KeyValuePair<string, object?>("operation", operation),
        new KeyValuePair<string, object?>("result", result));

    /// <summary>A throttling error (ThrottlingException, RequestThrottled, TooManyUpdates, …) from any AWS call.</summary>
    /// <param name="service"><c>sqs</c>, <c>ssm</c> or <c>dynamodb</c>.</param>
    public void Throttled(string service, string operation) => _throttles.Add(
        1,
        new KeyValuePair<string, object?>("service", service),
        new KeyValuePair<string, object?>("operation", operation));
}
