using System.Globalization;
using System.Text.Json.Nodes;

namespace RemediationWorker.IntegrationTests;

/// <summary>The chaos run's events, drawn from a fixed seed: each kind of input the worker meets, in proportions
/// that keep most of them starting runs, and each sent one to three times (duplicate deliveries).</summary>
internal sealed class ChaosEvents
{
    /// <summary>Stacks that receive many drift events each: one run per stack, the rest skipped.</summary>
    public const int HotStacks = 8;

    private ChaosEvents(IReadOnlyList<ChaosEvent> events, IReadOnlyList<string> messages)
    {
        Events = events;
        Messages = messages;
    }

    public IReadOnlyList<ChaosEvent> Events { get; }

    /// <summary>The bodies to send, copies included, shuffled.</summary>
    public IReadOnlyList<string> Messages { get; }

    public static ChaosEvents Create(int count, int seed, int firstNumber)
    {
        var random = new Random(seed);
        var events = new List<ChaosEvent>(count);
        var messages = new List<string>(count * 2);
        for (var i = 0; i < count; i++)
        {
            var n = firstNumber + i;
            var roll = random.NextDouble();
            var chaosEvent = roll switch
            {
                < 0.55 => Drift(n),
                < 0.67 => Drift(firstNumber - 1 - random.Next(HotStacks)),
                < 0.77 => Rollback(n),
                < 0.85 => Build(n),
                < 0.97 => NoMatch(n),
                _ => Poison(n),
            };
            events.Add(chaosEvent);
            var copies = 1 + (random.NextDouble() < 0.3 ? 1 : 0) + (random.NextDouble() < 0.1 ? 1 : 0);
            for (var c = 0; c < copies; c++)
            {
                messages.Add(chaosEvent.Body);
            }
        }

        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(messages));
        return new ChaosEvents(events, messages);
    }

    private static ChaosEvent Drift(int stackNumber)
    {
        var body = TestEvents.Drift(stackNumber);
        var (eventId, stack) = ReplicaEvents.Identify(body);
        return new ChaosEvent(ChaosKind.Remediate, body, eventId, "stack-drift-revert", stack);
    }

    private static ChaosEvent Rollback(int n)
    {
        var stack = string.Create(CultureInfo.InvariantCulture, $"arn:aws:cloudformation:eu-west-1:111122223333:stack/svc-{n}/7e1d5c20-6f1d-11ef-b2f4-{n:D12}");
        var body = ReplicaEvents.RollbackFailed(stack);
        return new ChaosEvent(ChaosKind.Remediate, body, ReplicaEvents.Identify(body).EventId, "stack-rollback-continue", stack);
    }

    private static ChaosEvent Build(int n)
    {
        var json = Sample("codebuild-failed-provisioning.json");
        var project = string.Create(CultureInfo.InvariantCulture, $"project-{n}");
        var build = string.Create(CultureInfo.InvariantCulture, $"arn:aws:codebuild:eu-west-1:111122223333:build/{project}:5b8c6f1e-2d4a-4c3b-9e8f-{n:D12}");
        json["resources"] = new JsonArray(build);
        json["detail"]!["project-name"] = project;
        json["detail"]!["build-id"] = build;
        return new ChaosEvent(ChaosKind.Remediate, json.ToJsonString(), (string)json["id"]!, "codebuild-transient-retry", project);
    }

    private static ChaosEvent NoMatch(int n)
    {
        var json = Sample(n % 2 == 0 ? "cfn-drift-in-sync.json" : "codebuild-succeeded.json");
        return new ChaosEvent(ChaosKind.NoMatch, json.ToJsonString(), (string)json["id"]!, null, null);
    }

    private static ChaosEvent Poison(int n)
        => new(ChaosKind.Poison, string.Create(CultureInfo.InvariantCulture, $"{{\"detail-type\": \"not an event {n}\", "), null, null, null);

    /// <summary>A shipped sample with a new event id.</summary>
    private static JsonObject Sample(string name)
    {
        var json = JsonNode.Parse(TestEvents.Sample(name))!.AsObject();
        json["id"] = Guid.NewGuid().ToString();
        return json;
    }
}

internal enum ChaosKind
{
    /// <summary>Matches a playbook: a run, or a skip when its resource was just remediated.</summary>
    Remediate,

    /// <summary>A look-alike that matches no playbook.</summary>
    NoMatch,

    /// <summary>Not JSON: rejected and forwarded to the dead-letter queue.</summary>
    Poison,
}

/// <summary>One chaos event: what it is and, for a remediation, which playbook and resource it concerns.</summary>
internal sealed record ChaosEvent(ChaosKind Kind, string Body, string? EventId, string? Playbook, string? Resource);
