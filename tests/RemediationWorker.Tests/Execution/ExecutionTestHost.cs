using Amazon.SimpleSystemsManagement;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using RemediationWorker.Execution;

namespace RemediationWorker.Tests.Execution;

/// <summary>The real AWS composition (<c>AddAwsAdapters</c>) with the SSM client and the clock faked.</summary>
internal sealed class ExecutionTestHost : IDisposable
{
    public const string ExecutionId = "5f6c1e2a-0b4d-4c8e-9a7f-3d2b1c0e9f88";
    public const string OtherExecutionId = "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

    private readonly ServiceProvider _services;

    public ExecutionTestHost(Dictionary<string, string?>? settings = null)
    {
        Timers = new TimerCountingTimeProvider(Time);
        var values = new Dictionary<string, string?>
        {
            ["Aws:Region"] = "eu-west-1",
            ["Aws:Resilience:BaseDelay"] = "00:00:01",
            ["Aws:Resilience:MaxDelay"] = "00:00:10",
            ["Aws:Resilience:MaxRetryAttempts"] = "3",
            ["Aws:Automation:InitialStartRate"] = "10",
            ["Aws:Automation:PollInitialDelay"] = "00:00:05",
            ["Aws:Automation:PollMaxDelay"] = "00:01:00",
            ["Aws:Automation:PollJitter"] = "0",
            ["Health:HeartbeatPath"] = HeartbeatPath,
        };
        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        _services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Debug))
            .AddSingleton<IConfiguration>(configuration)
            .AddAwsAdapters(configuration)
            .AddSingleton(Ssm)
            .AddSingleton<TimeProvider>(Timers)
            .BuildServiceProvider();
    }

    /// <summary>Where the runner's progress beats go: a file of this host's own.</summary>
    public string HeartbeatPath { get; } = Path.Combine(Path.GetTempPath(), $"rw-exec-{Guid.NewGuid():N}", ".heartbeat");

    public IAmazonSimpleSystemsManagement Ssm { get; } = Substitute.For<IAmazonSimpleSystemsManagement>();

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 27, 5, 0, 0, TimeSpan.Zero));

    /// <summary>What the composition sees as its clock: <see cref="Time"/>, counting the timers armed on it.</summary>
    public TimerCountingTimeProvider Timers { get; }

    public SsmAutomationRunner Runner => _services.GetRequiredService<SsmAutomationRunner>();

    public AdaptiveStartLimiter Limiter => _services.GetRequiredService<AdaptiveStartLimiter>();

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    public static RunbookPlan Plan(string eventId = "6a7e8feb-b491-4cf7-a9f1-bf3703467718", string resource = "arn:aws:cloudformation:eu-west-1:111122223333:stack/app/1")
        => new(eventId, "stack-rollback-failed", resource, "Remediation-ContinueUpdateRollback", "$DEFAULT",
            "arn:aws:iam::111122223333:role/remediation-runbook", new Dictionary<string, string> { ["StackName"] = resource });

    /// <summary>Advances fake time until the task completes (Polly's ExecuteAndAdvance). Between steps it gives the
    /// code under test a moment of real time to reach its next timer (it runs on other threads); the moment ends
    /// as soon as the task completes.</summary>
    public async Task<T> AdvanceUntilDoneAsync<T>(Task<T> task, TimeSpan step, int maxSteps = 2_000)
    {
        for (var i = 0; i < maxSteps && !task.IsCompleted; i++)
        {
            await Settle(task);
            Time.Advance(step);
        }

        return await task.WaitAsync(TimeSpan.FromSeconds(10), TimeProvider.System);
    }

    public static async Task Settle(Task task)
    {
        try
        {
            await task.WaitAsync(TimeSpan.FromMilliseconds(3), TimeProvider.System);
        }
        catch (TimeoutException)
        {
            // still waiting on fake time
        }
        catch (Exception) when (task.IsCompleted)
        {
            // observed by the caller
        }
    }

    public void Dispose()
    {
        _services.Dispose();
        var folder = Path.GetDirectoryName(HeartbeatPath)!;
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

/// <summary>Delegates to a fake clock and counts <see cref="CreateTimer"/> calls, so a test can advance the clock
/// exactly when the code under test has armed its next delay (instead of racing it in small steps).</summary>
internal sealed class TimerCountingTimeProvider(FakeTimeProvider inner) : TimeProvider
{
    private int _created;

    public int TimersCreated => Volatile.Read(ref _created);

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

    public override long GetTimestamp() => inner.GetTimestamp();

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Interlocked.Increment(ref _created);
        return inner.CreateTimer(callback, state, dueTime, period);
    }
}
