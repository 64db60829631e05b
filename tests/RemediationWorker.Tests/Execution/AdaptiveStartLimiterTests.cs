using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RemediationWorker.Execution;

namespace RemediationWorker.Tests.Execution;

public sealed class AdaptiveStartLimiterTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 5, 0, 0, TimeSpan.Zero));

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
}
