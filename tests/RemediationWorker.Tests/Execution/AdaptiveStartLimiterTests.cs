using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RemediationWorker.Execution;

namespace RemediationWorker.Tests.Execution;

public sealed class AdaptiveStartLimiterTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 27, 5, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);

    [Fact]
    public async Task AcquireAsync_AtRate_SpacesStartsEvenly()
    {
        var sut = Create(new SsmAutomationOptions { InitialStartRate = 10 });
        var acquired = new List<DateTimeOffset>();

        for (var i = 0; i < 5; i++)
        {
            var task = sut.AcquireAsync(CancellationToken.None).AsTask();
            while (!task.IsCompleted)
            {
                await ExecutionTestHost.Settle(task);
                if (!task.IsCompleted)
                {
                    _time.Advance(TimeSpan.FromMilliseconds(10));
                }
            }

            await task;
            acquired.Add(_time.GetUtcNow());
        }

        var gaps = acquired.Zip(acquired.Skip(1), (a, b) => (b - a).TotalMilliseconds).ToList();
        Assert.All(gaps, g => Assert.InRange(g, 90, 110));
    }

    [Fact]
    public async Task AcquireAsync_LineOfWaiters_RateCutAppliesToTheNextPermit()
    {
        var sut = Create(new SsmAutomationOptions { InitialStartRate = 10, StartRateDecreaseFactor = 0.5 });
        var line = Enumerable.Range(0, 6).Select(_ => sut.AcquireAsync(CancellationToken.None).AsTask()).ToList();
        await AdvanceUntilAsync(line[1]);

        var cut = _time.GetUtcNow();
        sut.OnThrottled(); // 10/s → 5/s while four still wait

        var granted = await GrantTimesAsync(line.Skip(2).ToList());
        var gaps = granted.Prepend(cut).Zip(granted, (a, b) => (b - a).TotalMilliseconds).ToList();
        Assert.All(gaps, g => Assert.InRange(g, 195, 215)); // every later permit at the new rate, none at the old
    }

    [Fact]
    public async Task AcquireAsync_RateRisesWhileWaiting_LaterPermitsComeFaster()
    {
        var sut = Create(new SsmAutomationOptions { InitialStartRate = 10 });
        var line = Enumerable.Range(0, 6).Select(_ => sut.AcquireAsync(CancellationToken.None).AsTask()).ToList();
        await AdvanceUntilAsync(line[1]);

        for (var i = 0; i < 10; i++)
        {
            sut.OnSuccess(); // slow start: 10/s → 20/s
        }

        var granted = await GrantTimesAsync(line.Skip(2).ToList());
        var gaps = granted.Zip(granted.Skip(1), (a, b) => (b - a).TotalMilliseconds).ToList();
        Assert.All(gaps, g => Assert.InRange(g, 45, 60));
    }

    [Fact]
    public async Task AcquireAsync_CancelledWhileWaiting_PassesTheTurnOn()
    {
        var sut = Create(new SsmAutomationOptions { InitialStartRate = 10 });
        await sut.AcquireAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var first = sut.AcquireAsync(cancel.Token).AsTask();
        var second = sut.AcquireAsync(CancellationToken.None).AsTask();

        await cancel.CancelAsync();
        await AdvanceUntilAsync(second);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        Assert.Equal(TimeSpan.FromMilliseconds(100), _time.GetUtcNow() - Start); // the cancelled turn went to the next in line
    }

    [Fact]
    public async Task AcquireAsync_TimerLate_HandsOutThePermitsThatFellDue()
    {
        var sut = Create(new SsmAutomationOptions { InitialStartRate = 10 });
        await sut.AcquireAsync(CancellationToken.None);
        var line = Enumerable.Range(0, 3).Select(_ => sut.AcquireAsync(CancellationToken.None).AsTask()).ToList();

        _time.Advance(TimeSpan.FromMilliseconds(200)); // the timer due at 100 ms fires at 200 ms
        await ExecutionTestHost.Settle(Task.WhenAll(line));

        Assert.True(line[0].IsCompletedSuccessfully && line[1].IsCompletedSuccessfully, "the permits of 100 ms and 200 ms are both handed out");
        Assert.False(line[2].IsCompleted);
    }

    [Fact]
    public void OnThrottled_SeveralAtOnce_CutsRateOnce()
    {
        var sut = Create(new SsmAutomationOptions { InitialStartRate = 40, StartRateDecreaseFactor = 0.5 });

        sut.OnThrottled();
        sut.OnThrottled();
        sut.OnThrottled();

        Assert.Equal(20, sut.CurrentRate, 3);
        _time.Advance(TimeSpan.FromSeconds(1));
        sut.OnThrottled();
        Assert.Equal(10, sut.CurrentRate, 3);
    }

    [Fact]
    public void OnSuccess_AfterThrottle_CreepsUpAdditively()
    {
        var sut = Create(new SsmAutomationOptions { InitialStartRate = 20, StartRateDecreaseFactor = 0.5, StartRateIncreasePerSecond = 2 });
        sut.OnThrottled();

        for (var i = 0; i < 10; i++)
        {
            sut.OnSuccess(); // ten successes at 10/s: one second's worth
        }

        Assert.InRange(sut.CurrentRate, 11.8, 12.1);
    }

    [Fact]
    public void OnSuccess_BeforeAnyThrottle_DoublesPerSecond()
    {
        var sut = Create(new SsmAutomationOptions { InitialStartRate = 10 });

        for (var i = 0; i < 10; i++)
        {
            sut.OnSuccess();
        }

        Assert.Equal(20, sut.CurrentRate, 3);
    }

    [Fact]
    public async Task OnQueueFull_PausesAcquireForThePause()
    {
        var sut = Create(new SsmAutomationOptions { InitialStartRate = 100, QueueFullPause = TimeSpan.FromSeconds(30) });

        var pause = sut.OnQueueFull();
        var waiting = sut.AcquireAsync(CancellationToken.None).AsTask();
        await ExecutionTestHost.Settle(waiting);
        _time.Advance(TimeSpan.FromSeconds(29));
        await ExecutionTestHost.Settle(waiting);

        Assert.Equal(TimeSpan.FromSeconds(30), pause);
        Assert.False(waiting.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(2));
        await waiting.WaitAsync(TimeSpan.FromSeconds(5), TimeProvider.System);
        Assert.Equal(TimeSpan.FromSeconds(60), sut.OnQueueFull() + TimeSpan.FromSeconds(0)); // doubled while it lasts
    }

    private AdaptiveStartLimiter Create(SsmAutomationOptions options) => new(_time, Options.Create(options));

    /// <summary>Advances fake time in 5 ms steps until <paramref name="task"/> completes.</summary>
    private async Task AdvanceUntilAsync(Task task)
    {
        for (var i = 0; i < 2_000 && !task.IsCompleted; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(5));
            await ExecutionTestHost.Settle(task);
        }

        await task;
    }

    /// <summary>When each waiter in <paramref name="line"/> got its permit, in order.</summary>
    private async Task<List<DateTimeOffset>> GrantTimesAsync(List<Task> line)
    {
        var granted = new List<DateTimeOffset>();
        foreach (var waiter in line)
        {
            await AdvanceUntilAsync(waiter);
            granted.Add(_time.GetUtcNow());
        }

        return granted;
    }
}
