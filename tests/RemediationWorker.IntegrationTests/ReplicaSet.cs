using System.Globalization;
using RemediationWorker.Audit;

namespace RemediationWorker.IntegrationTests;

/// <summary>Several <see cref="WorkerProcess"/> replicas of one configuration on one queue, as ECS runs them. Each
/// slot keeps its audit file across restarts (the restarted process continues the chain, as a task restarted on
/// the same volume would); every process gets its own worker id (host name and process id), as a new task does.</summary>
internal sealed class ReplicaSet : IAsyncDisposable
{
    private readonly WorkerProcess?[] _slots;
    private readonly string _directory;
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly Lock _lock = new();
    private readonly HashSet<WorkerProcess> _expectedExits = [];
    private readonly List<WorkerProcess> _exited = [];

    public ReplicaSet(int count, string directory, IReadOnlyDictionary<string, string?> settings)
    {
        _slots = new WorkerProcess?[count];
        _directory = directory;
        _settings = settings;
    }

    public int Count => _slots.Length;

    /// <summary>Processes started so far (restarts included).</summary>
    public int Started { get; private set; }

    public int Killed { get; private set; }

    public int Terminated { get; private set; }

    public IReadOnlyList<string> AuditPaths => [.. Enumerable.Range(0, Count).Select(AuditPath)];

    public string AuditPath(int slot) => Path.Combine(_directory, string.Create(CultureInfo.InvariantCulture, $"replica-{slot}.jsonl"));

    public bool IsRunning(int slot) => _slots[slot] is { HasExited: false };

    public WorkerProcess this[int slot] => _slots[slot] ?? throw new InvalidOperationException($"replica {slot} was never started");

    public async Task StartAllAsync()
    {
        for (var slot = 0; slot < Count; slot++)
        {
            await StartAsync(slot);
        }
    }

    /// <summary>Starts the slot's process (again, after a kill or a stop).</summary>
    public async Task StartAsync(int slot)
    {
        WorkerProcess? previous;
        lock (_lock)
        {
            if (IsRunning(slot))
            {
                throw new InvalidOperationException($"replica {slot} is running");
            }

            previous = _slots[slot];
            if (previous is not null)
            {
                _exited.Add(previous); // kept for its output
            }

            _slots[slot] = WorkerProcess.Start(string.Create(CultureInfo.InvariantCulture, $"replica-{slot}"), AuditPath(slot), _settings);
            Started++;
        }

        if (previous is not null)
        {
            await previous.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>SIGKILL, and waits until the process is gone (its messages stay invisible until their timeout).</summary>
    public async Task KillAsync(int slot)
    {
        var process = Expect(slot);
        process.Kill();
        await process.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Killed++;
    }

    /// <summary>SIGTERM, once the host is up to handle it, and the exit code (0 after a graceful stop).</summary>
    public async Task<int> TerminateAsync(int slot, TimeSpan timeout)
    {
        var process = this[slot];
        await process.WaitUntilStartedAsync(timeout);
        Expect(slot);
        process.Terminate();
        var exitCode = await process.WaitForExitAsync(timeout);
        Terminated++;
        return exitCode;
    }

    /// <summary>SIGTERM to every running replica at once; their exit codes.</summary>
    public async Task<int[]> TerminateAllAsync(TimeSpan timeout)
        => await Task.WhenAll(Enumerable.Range(0, Count).Where(IsRunning).Select(slot => TerminateAsync(slot, timeout)));

    /// <summary>Every replica's audit records, file after file.</summary>
    public IReadOnlyList<StoredAuditRecord> ReadAudit() => [.. AuditPaths.SelectMany(WorkerProcess.ReadAudit)];

    /// <summary>Polls <paramref name="done"/>; fails at once, with its output, when a replica exits on its own, and
    /// with every replica's output when the condition does not come within <paramref name="timeout"/>.</summary>
    public async Task WaitUntilAsync(Func<Task<bool>> done, TimeSpan timeout, string what)
    {
        try
        {
            await WorkerHarness.WaitUntilAsync(
                async () =>
                {
                    ThrowIfCrashed(what);
                    return await done();
                },
                timeout,
                what);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}.\n{Outputs()}", ex);
        }
    }

    /// <summary>The output of every process the set started, those that exited first.</summary>
    public string Outputs() => string.Join("\n", All().Select(p => $"--- {p}{(p.HasExited ? " (exited)" : string.Empty)}:\n{p.Output}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var process in All())
        {
            await process.DisposeAsync();
        }
    }

    private List<WorkerProcess> All()
    {
        lock (_lock)
        {
            return [.. _exited, .. _slots.OfType<WorkerProcess>()];
        }
    }

    /// <summary>The slot's process, marked as one whose exit is the test's doing.</summary>
    private WorkerProcess Expect(int slot)
    {
        lock (_lock)
        {
            var process = this[slot];
            _expectedExits.Add(process);
            return process;
        }
    }

    private void ThrowIfCrashed(string what)
    {
        lock (_lock)
        {
            var crashed = _slots.Select((p, slot) => (p, slot)).FirstOrDefault(s => s.p is { HasExited: true } && !_expectedExits.Contains(s.p));
            if (crashed.p is not null)
            {
                throw new InvalidOperationException($"replica {crashed.slot} exited on its own (exit code {crashed.p.ExitCode}) while waiting for {what}:\n{crashed.p.Output}");
            }
        }
    }
}
