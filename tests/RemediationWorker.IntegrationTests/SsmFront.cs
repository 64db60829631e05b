using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace RemediationWorker.IntegrationTests;

/// <summary>The SSM Automation and OpsCenter calls moto does not have, on SSM's own wire protocol (AWS JSON 1.1:
/// POST /, <c>X-Amz-Target: AmazonSSM.&lt;Op&gt;</c>, errors as HTTP 400 with <c>__type</c> and
/// <c>x-amzn-ErrorType</c>); every other call is forwarded to moto. It scripts outcomes, limits the start rate
/// with a token bucket answering <c>ThrottlingException</c>, injects 5xx and latency, honours <c>ClientToken</c>
/// as AWS does, and logs every run's start and end. DynamoDB calls through it are forwarded one at a time.</summary>
public sealed class SsmFront : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Execution> _executions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _tokens = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _opsItemsByDedup = new(StringComparer.Ordinal);
    private readonly List<JsonObject> _opsItems = [];
    private readonly Dictionary<string, int> _forwarded = new(StringComparer.Ordinal);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly HttpClient _forward = new();

    // moto applies a DynamoDB transaction without a lock (and a cancelled one restores a copy taken at its start):
    // one call at a time gives it DynamoDB's isolation, so races are decided by the conditions alone.
    private readonly SemaphoreSlim _dynamoDb = new(1, 1);
    private readonly WebApplication _app;
    private readonly string _motoUrl;
    private double _tokensInBucket;
    private double _lastRefill;
    private int _serverErrorsToInject;

    private SsmFront(WebApplication app, string url, string motoUrl)
    {
        _app = app;
        Url = url;
        _motoUrl = motoUrl;
    }

    public string Url { get; }

    /// <summary>Starts allowed per second (0: unlimited) and the bucket's burst.</summary>
    public double StartRate { get; set; }

    public double StartBurst { get; set; } = 5;

    /// <summary>Polls of GetAutomationExecution before a new run reaches its terminal status.</summary>
    public int PollsToFinish { get; set; } = 1;

    /// <summary>The terminal status new runs reach (Success, Failed, TimedOut; "Never" keeps them InProgress).</summary>
    public string Outcome { get; set; } = "Success";

    /// <summary>While true every Automation and OpsCenter call answers 503 (the service is down).</summary>
    public bool Down { get; set; }

    /// <summary>Extra latency of each handled call.</summary>
    public TimeSpan Latency { get; set; }

    public int StartCalls { get; private set; }

    /// <summary>The id a run of the front "caused" (its <c>ContinueRollback.CausedIds</c> output).</summary>
    public static string CausedToken(string executionId) => $"RemediationWorker-{executionId}-1";

    /// <summary>Called with every <c>StartAutomationExecution</c> request as it arrives, before it is answered (a test
    /// looks at what the worker has on disk at that moment, or kills it and sets <see cref="Down"/>: no run then).</summary>
    public Action<JsonObject>? BeforeStart { get; set; }

    /// <summary>The next <paramref name="calls"/> Automation and OpsCenter calls answer 500 (a burst of
    /// <c>InternalServerError</c>); each is counted in <see cref="ServerErrors"/>.</summary>
    public void InjectServerErrors(int calls)
    {
        lock (_lock)
        {
            _serverErrorsToInject = calls;
        }
    }

    /// <summary>Forwarded calls by <c>X-Amz-Target</c> (for example <c>AmazonSQS.ReceiveMessage</c>).</summary>
    public IReadOnlyDictionary<string, int> Forwarded
    {
        get
        {
            lock (_lock)
            {
                return new Dictionary<string, int>(_forwarded);
            }
        }
    }

    /// <summary>Back to a healthy SSM: no rate limit, up, no latency, no injected errors, runs that succeed at the
    /// first poll. The runs and items so far are kept.</summary>
    public void Reset()
    {
        StartRate = 0;
        StartBurst = 5;
        Down = false;
        Latency = TimeSpan.Zero;
        Outcome = "Success";
        PollsToFinish = 1;
        BeforeStart = null;
        InjectServerErrors(0);
    }

    /// <summary>Runs scripted to never end now end with <paramref name="status"/> at their next poll.</summary>
    public void FinishStuckRuns(string status)
    {
        lock (_lock)
        {
            foreach (var execution in _executions.Values.Where(e => e.Outcome == "Never"))
            {
                execution.Outcome = status;
            }
        }
    }

    public int Throttled { get; private set; }

    public int ServerErrors { get; private set; }

    public IReadOnlyList<RunRecord> Runs
    {
        get
        {
            lock (_lock)
            {
                return _executions.Values.Select(e => new RunRecord(e.Id, e.Resource, e.Started, e.Ended, e.Status, e.Tag("remediation:event-id"), e.Tag("remediation:playbook"))).OrderBy(r => r.Started).ToList();
            }
        }
    }

    public IReadOnlyList<JsonObject> OpsItems
    {
        get
        {
            lock (_lock)
            {
                return [.. _opsItems];
            }
        }
    }

    public static async Task<SsmFront> StartAsync(string motoUrl)
    {
        var port = MotoServer.FreePort();
        var url = $"http://127.0.0.1:{port}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(url);
        var app = builder.Build();
        var front = new SsmFront(app, url, motoUrl);
        app.Run(front.HandleAsync);
        await app.StartAsync();
        return front;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _forward.Dispose();
        _dynamoDb.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var target = context.Request.Headers["X-Amz-Target"].ToString();
        var operation = target.StartsWith("AmazonSSM.", StringComparison.Ordinal) ? target["AmazonSSM.".Length..] : string.Empty;
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        if (!target.StartsWith("AmazonSSM.", StringComparison.Ordinal))
        {
            lock (_lock)
            {
                _forwarded[target] = _forwarded.GetValueOrDefault(target) + 1;
            }
        }

        if (target.StartsWith("DynamoDB_", StringComparison.Ordinal))
        {
            await _dynamoDb.WaitAsync();
            try
            {
                await ForwardAsync(context, body);
            }
            finally
            {
                _dynamoDb.Release();
            }

            return;
        }

        if (operation is not ("StartAutomationExecution" or "GetAutomationExecution" or "StopAutomationExecution" or "DescribeAutomationExecutions" or "CreateOpsItem" or "DescribeOpsItems"))
        {
            await ForwardAsync(context, body);
            return;
        }

        if (Latency > TimeSpan.Zero)
        {
            await Task.Delay(Latency, TimeProvider.System);
        }

        if (operation == "StartAutomationExecution" && BeforeStart is { } beforeStart)
        {
            beforeStart(JsonNode.Parse(string.IsNullOrEmpty(body) ? "{}" : body)!.AsObject()); // may set Down: then no run
        }

        if (Down)
        {
            lock (_lock)
            {
                ServerErrors++;
            }

            await ErrorAsync(context, 503, "ServiceUnavailable", "Service is down (injected)");
            return;
        }

        bool burst;
        lock (_lock)
        {
            burst = _serverErrorsToInject > 0;
            if (burst)
            {
                _serverErrorsToInject--;
                ServerErrors++;
            }
        }

        if (burst)
        {
            await ErrorAsync(context, 500, "InternalServerError", "Internal failure (injected burst)");
            return;
        }

        var request = JsonNode.Parse(string.IsNullOrEmpty(body) ? "{}" : body)!.AsObject();
        var (status, type, response) = operation switch
        {
            "StartAutomationExecution" => Start(request),
            "GetAutomationExecution" => Get(request),
            "StopAutomationExecution" => Stop(request),
            "DescribeAutomationExecutions" => Describe(request),
            "CreateOpsItem" => CreateOpsItem(request),
            _ => DescribeOpsItems(),
        };
        if (status != 200)
        {
            await ErrorAsync(context, status, type!, response.ToJsonString());
            return;
        }

        context.Response.ContentType = "application/x-amz-json-1.1";
        await context.Response.WriteAsync(response.ToJsonString());
    }

    private (int, string?, JsonNode) Start(JsonObject request)
    {
        lock (_lock)
        {
            StartCalls++;
            if (StartRate > 0)
            {
                var now = _clock.Elapsed.TotalSeconds;
                _tokensInBucket = Math.Min(StartBurst, _tokensInBucket + ((now - _lastRefill) * StartRate));
                _lastRefill = now;
                if (_tokensInBucket < 1)
                {
                    Throttled++;
                    return (400, "ThrottlingException", JsonValue.Create("Rate exceeded")!);
                }

                _tokensInBucket -= 1;
            }

            var token = (string?)request["ClientToken"];
            var parameters = request["Parameters"]?.ToJsonString() ?? "{}";
            var document = (string?)request["DocumentName"] ?? string.Empty;
            if (token is not null && _tokens.TryGetValue(token, out var existingId))
            {
                var existing = _executions[existingId];
                return existing.Parameters == parameters && existing.Document == document
                    ? (200, null, new JsonObject { ["AutomationExecutionId"] = existing.Id })
                    : (400, "IdempotentParameterMismatch", JsonValue.Create("the parameters do not match the original request with this ClientToken")!);
            }

            var tags = (request["Tags"] as JsonArray ?? []).Select(t => ((string?)t!["Key"] ?? string.Empty, (string?)t!["Value"] ?? string.Empty)).ToList();
            var resource = tags.FirstOrDefault(t => t.Item1 == "remediation:resource").Item2 ?? string.Empty;
            var id = Guid.NewGuid().ToString();
            _executions[id] = new Execution(id, document, parameters, resource, tags.Select(t => t.Item1).ToHashSet(StringComparer.Ordinal), PollsToFinish, Outcome, TimeProvider.System.GetUtcNow())
            {
                Tags = tags.GroupBy(t => t.Item1, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Item2, StringComparer.Ordinal),
            };
            if (token is not null)
            {
                _tokens[token] = id;
            }

            return (200, null, new JsonObject { ["AutomationExecutionId"] = id });
        }
    }

    private (int, string?, JsonNode) Get(JsonObject request)
    {
        lock (_lock)
        {
            if (!_executions.TryGetValue((string?)request["AutomationExecutionId"] ?? string.Empty, out var execution))
            {
                return (400, "AutomationExecutionNotFoundException", JsonValue.Create("no such execution")!);
            }

            execution.Polls++;
            if (execution.Status == "InProgress" && execution.Polls >= execution.PollsToFinish && execution.Outcome != "Never")
            {
                execution.Status = execution.Outcome;
                execution.Ended = TimeProvider.System.GetUtcNow();
            }

            var result = new JsonObject
            {
                ["AutomationExecutionId"] = execution.Id,
                ["DocumentName"] = execution.Document,
                ["AutomationExecutionStatus"] = execution.Status,
            };
            if (execution.Status is "Failed" or "TimedOut")
            {
                result["FailureMessage"] = "Step fails when it is asserting the stack status (scripted)";
            }

            // As the runbooks do (docs/deploy.md): the token each run passes to CloudFormation, derived from its id.
            result["Outputs"] = new JsonObject { ["ContinueRollback.CausedIds"] = new JsonArray(CausedToken(execution.Id)) };

            return (200, null, new JsonObject { ["AutomationExecution"] = result });
        }
    }

    private (int, string?, JsonNode) Stop(JsonObject request)
    {
        lock (_lock)
        {
            if (!_executions.TryGetValue((string?)request["AutomationExecutionId"] ?? string.Empty, out var execution))
            {
                return (400, "AutomationExecutionNotFoundException", JsonValue.Create("no such execution")!);
            }

            if (execution.Status != "InProgress")
            {
                return (400, "InvalidAutomationStatusUpdateException", JsonValue.Create("the execution has ended")!);
            }

            execution.Status = "Cancelled";
            execution.Ended = TimeProvider.System.GetUtcNow();
            return (200, null, new JsonObject());
        }
    }

    private (int, string?, JsonNode) Describe(JsonObject request)
    {
        var tagKeys = (request["Filters"] as JsonArray ?? [])
            .Where(f => (string?)f!["Key"] == "TagKey")
            .SelectMany(f => (f!["Values"] as JsonArray ?? []).Select(v => (string?)v ?? string.Empty))
            .ToList();
        lock (_lock)
        {
            var list = new JsonArray();
            foreach (var execution in _executions.Values.Where(e => tagKeys.All(e.TagKeys.Contains)))
            {
                list.Add(new JsonObject { ["AutomationExecutionId"] = execution.Id, ["AutomationExecutionStatus"] = execution.Status, ["DocumentName"] = execution.Document });
            }

            return (200, null, new JsonObject { ["AutomationExecutionMetadataList"] = list });
        }
    }

    private (int, string?, JsonNode) CreateOpsItem(JsonObject request)
    {
        var dedupJson = (string?)request["OperationalData"]?["/aws/dedup"]?["Value"];
        var dedup = dedupJson is null ? null : (string?)JsonNode.Parse(dedupJson)?["dedupString"];
        lock (_lock)
        {
            if (dedup is not null && _opsItemsByDedup.TryGetValue(dedup, out var existing))
            {
                return (200, null, new JsonObject { ["OpsItemId"] = existing });
            }

            var id = "oi-" + Guid.NewGuid().ToString("N")[..12];
            request["OpsItemId"] = id;
            _opsItems.Add(request);
            if (dedup is not null)
            {
                _opsItemsByDedup[dedup] = id;
            }

            return (200, null, new JsonObject { ["OpsItemId"] = id });
        }
    }

    private (int, string?, JsonNode) DescribeOpsItems()
    {
        lock (_lock)
        {
            var list = new JsonArray();
            foreach (var item in _opsItems)
            {
                list.Add(new JsonObject { ["OpsItemId"] = (string?)item["OpsItemId"], ["Title"] = (string?)item["Title"], ["Source"] = (string?)item["Source"], ["Status"] = "Open" });
            }

            return (200, null, new JsonObject { ["OpsItemSummaries"] = list });
        }
    }

    private static async Task ErrorAsync(HttpContext context, int status, string type, string messageJson)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/x-amz-json-1.1";
        context.Response.Headers["x-amzn-ErrorType"] = type;
        var message = messageJson.StartsWith('"') ? messageJson : JsonSerializer.Serialize(messageJson);
        await context.Response.WriteAsync($"{{\"__type\":\"{type}\",\"message\":{message}}}");
    }

    private async Task ForwardAsync(HttpContext context, string body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), new Uri(_motoUrl + context.Request.Path + context.Request.QueryString));
        request.Content = new StringContent(body, Encoding.UTF8);
        request.Content.Headers.ContentType = null;
        foreach (var header in context.Request.Headers)
        {
            if (header.Key is "Host" or "Content-Length" or "Transfer-Encoding" or "Connection")
            {
                continue;
            }

            if (!request.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray()))
            {
                request.Content.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray());
            }
        }

        using var response = await _forward.SendAsync(request);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var header in response.Headers.Concat(response.Content.Headers))
        {
            if (header.Key is "Transfer-Encoding" or "Content-Length" or "Connection" or "Server" or "Date")
            {
                continue;
            }

            context.Response.Headers[header.Key] = header.Value.ToArray();
        }

        await context.Response.Body.WriteAsync(await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>One run as the front saw it: started when it accepted the start, ended when a poll (or a stop) found
    /// it terminal; the event and playbook from the run's tags.</summary>
    public sealed record RunRecord(string ExecutionId, string Resource, DateTimeOffset Started, DateTimeOffset? Ended, string Status, string EventId = "", string Playbook = "");

    private sealed class Execution(string id, string document, string parameters, string resource, HashSet<string> tagKeys, int pollsToFinish, string outcome, DateTimeOffset started)
    {
        public string Id { get; } = id;

        public string Document { get; } = document;

        public string Parameters { get; } = parameters;

        public string Resource { get; } = resource;

        public HashSet<string> TagKeys { get; } = tagKeys;

        public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

        public string Tag(string key) => Tags.GetValueOrDefault(key) ?? string.Empty;

        public int PollsToFinish { get; } = pollsToFinish;

        public string Outcome { get; set; } = outcome;

        public DateTimeOffset Started { get; } = started;

        public DateTimeOffset? Ended { get; set; }

        public string Status { get; set; } = "InProgress";

        public int Polls { get; set; }
    }
}
