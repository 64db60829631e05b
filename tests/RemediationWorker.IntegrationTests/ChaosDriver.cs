namespace RemediationWorker.IntegrationTests;

/// <summary>Drives the faults of the chaos run from a fixed seed. The faults are tied to progress, not to the clock:
/// each time another share of the messages has left the queue, the previous fault ends (a killed replica restarts,
/// throttling stops) and the next one, drawn from the seed, begins: a replica killed (SIGKILL), a replica stopped
/// (SIGTERM, which must exit 0) and restarted, SSM throttling starts, or a burst of SSM 5xx. At least one
/// replica is always up. Kills come in the first half only: the runs a killed replica held are taken over when
/// their lease ends (seconds later: the test's timeouts and lease margin are short), while the rest of the queue
/// drains.</summary>
internal sealed class ChaosDriver
{
    private const double KillsUntil = 0.5;

    private readonly Random _random;
    private readonly ReplicaSet _replicas;
    private readonly SsmFront _front;
    private readonly double _step;
    private readonly List<string> _log = [];
    private readonly long _started = TimeProvider.System.GetTimestamp();
    private double _nextMilestone;
    private double _nextReport;

    public ChaosDriver(int seed, ReplicaSet replicas, SsmFront front, double step)
    {
        _random = new Random(seed);
        _replicas = replicas;
        _front = front;
        _step = step;
        _nextMilestone = step;
    }

    public int Kills { get; private set; }

    public int Stops { get; private set; }

    public int Throttles { get; private set; }

    public int ServerErrorBursts { get; private set; }

    /// <summary>What was done, at which progress.</summary>
    public IReadOnlyList<string> Log => _log;

    private string Elapsed => TimeProvider.System.GetElapsedTime(_started).TotalSeconds.ToString("F0", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Called on every poll with the share of messages gone from the queue (0 to 1).</summary>
    public async Task OnProgressAsync(double progress)
    {
        var elapsed = TimeProvider.System.GetElapsedTime(_started).TotalSeconds;
        if (elapsed >= _nextReport)
        {
            _nextReport = elapsed + 10;
            _log.Add($"{Elapsed} s, {progress:P0} of the messages gone");
        }

        if (progress < _nextMilestone || _nextMilestone >= 1)
        {
            return;
        }

        _nextMilestone += _step;
        await EndFaultsAsync();
        var running = Enumerable.Range(0, _replicas.Count).Where(_replicas.IsRunning).ToList();
        switch (_random.Next(4))
        {
            case 0 when running.Count > 1 && progress < KillsUntil:
                var killed = running[_random.Next(running.Count)];
                await _replicas.KillAsync(killed);
                Kills++;
                _log.Add($"{Elapsed} s, {progress:P0}: SIGKILL replica {killed}");
                break;
            case 1 when running.Count > 1:
                var stopped = running[_random.Next(running.Count)];
                var exitCode = await _replicas.TerminateAsync(stopped, TimeSpan.FromSeconds(20));
                if (exitCode != 0)
                {
                    throw new InvalidOperationException($"replica {stopped} exited {exitCode} after SIGTERM:\n{_replicas.Outputs()}");
                }

                await _replicas.StartAsync(stopped);
                Stops++;
                _log.Add($"{Elapsed} s, {progress:P0}: SIGTERM replica {stopped} (exit 0), restarted");
                break;
            case 2:
                _front.StartRate = 5 + _random.Next(10);
                _front.StartBurst = 2;
                Throttles++;
                _log.Add($"{Elapsed} s, {progress:P0}: SSM throttles starts at {_front.StartRate}/s");
                break;
            default:
                var calls = 10 + _random.Next(30);
                _front.InjectServerErrors(calls);
                ServerErrorBursts++;
                _log.Add($"{Elapsed} s, {progress:P0}: SSM answers 500 to the next {calls} calls");
                break;
        }
    }

    /// <summary>Restarts every replica that is down and lifts the throttling.</summary>
    public async Task EndFaultsAsync()
    {
        _front.StartRate = 0;
        for (var slot = 0; slot < _replicas.Count; slot++)
        {
            if (!_replicas.IsRunning(slot))
            {
                await _replicas.StartAsync(slot);
            }
        }
    }
}
