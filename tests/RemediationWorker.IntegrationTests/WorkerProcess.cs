using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using RemediationWorker.Audit;
using RemediationWorker.Testing;

namespace RemediationWorker.IntegrationTests;

/// <summary>The real <c>remediation-worker</c> executable as a child process (<c>dotnet exec remediation-worker.dll
/// run</c>, the worker's own build), configured only by environment variables, its output kept for failure
/// messages. <see cref="Kill"/> is a SIGKILL (a crash, an OOM kill, ECS after the stop timeout);
/// <see cref="Terminate"/> is a real SIGTERM (what ECS sends first).</summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private const int KeptLines = 400;
    private const int Sigterm = 15;

    /// <summary>Configuration sections of the worker: inherited values of these are dropped so that only the
    /// test's own settings reach the child.</summary>
    private static readonly string[] WorkerSections = ["Intake__", "Aws__", "Execution__", "Audit__", "Ledger__", "Remediation__", "Logging__", "Health__", "Telemetry__", "AWS_", "OTEL_", "REMEDIATION_CONFIG"];

    private readonly Process _process;
    private readonly Queue<string> _output = new();
    private readonly Lock _outputLock = new();
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly int _keptLines;

    private WorkerProcess(string name, string auditPath, Process process, int keptLines)
    {
        Name = name;
        AuditPath = auditPath;
        _process = process;
        _keptLines = keptLines;
    }

    public string Name { get; }

    /// <summary>The audit file this process appends to (<c>Audit:Path</c>).</summary>
    public string AuditPath { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The exit code, once <see cref="HasExited"/>.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>CPU time the process has used so far (while it runs).</summary>
    public TimeSpan ProcessorTime => _process.TotalProcessorTime;

    /// <summary>The worker as its own build writes it (<c>artifacts/bin/RemediationWorker/&lt;configuration&gt;</c>, built
    /// by this project's reference in the same configuration), beside its own runtimeconfig, deps and
    /// <c>appsettings.json</c>. The copy beside this assembly cannot run: this project's ASP.NET Core framework
    /// reference leaves out the Microsoft.Extensions assemblies the worker carries itself.</summary>
    public static string WorkerAssembly
    {
        get
        {
            var configuration = typeof(WorkerProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            var path = Path.Combine(RepositoryPaths.Root, "artifacts", "bin", "RemediationWorker", configuration.ToLowerInvariant(), "remediation-worker.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"the worker's {configuration} build is not there: build src/RemediationWorker (the test project's reference does)", path);
        }
    }

    /// <summary>Starts <c>remediation-worker run</c> with <paramref name="settings"/> (configuration keys with
    /// <c>:</c>, passed as environment variables with <c>__</c>) and the audit at <paramref name="auditPath"/>.</summary>
    public static WorkerProcess Start(string name, string auditPath, IReadOnlyDictionary<string, string?> settings)
    {
        var environment = new Dictionary<string, string?>(settings, StringComparer.Ordinal) { ["Audit:Path"] = auditPath };
        return Launch(name, auditPath, ["run"], environment, KeptLines);
    }

    /// <summary>Starts <c>remediation-worker run --once</c> (the local source drained, then exit) like <see cref="Start"/>.</summary>
    public static WorkerProcess StartOnce(string name, string auditPath, IReadOnlyDictionary<string, string?> settings)
    {
        var environment = new Dictionary<string, string?>(settings, StringComparer.Ordinal) { ["Audit:Path"] = auditPath };
        return Launch(name, auditPath, ["run", "--once"], environment, KeptLines);
    }

    /// <summary>Runs another command of the executable (<c>audit verify …</c>) to its end: exit code and all its
    /// output (stdout, then stderr, line by line as they came).</summary>
    public static Task<(int ExitCode, string Output)> RunCommandAsync(TimeSpan timeout, params string[] arguments)
        => RunCommandAsync(timeout, new Dictionary<string, string?>(StringComparer.Ordinal), arguments);

    /// <summary>The same, with <paramref name="settings"/> as environment variables (<c>:</c> written <c>__</c>).</summary>
    public static async Task<(int ExitCode, string Output)> RunCommandAsync(TimeSpan timeout, IReadOnlyDictionary<string, string?> settings, params string[] arguments)
    {
        await using var command = Launch(arguments[0], string.Empty, arguments, new Dictionary<string, string?>(settings, StringComparer.Ordinal), int.MaxValue);
        var exitCode = await command.WaitForExitAsync(timeout);
        return (exitCode, command.Output);
    }

    /// <summary>The last lines of stdout and stderr (of a worker, the last 400), for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_outputLock)
            {
                return string.Join('\n', _output);
            }
        }
    }

    /// <summary>SIGKILL to the process (and anything it started): no handler runs, nothing is flushed after.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // it has already exited
        }
    }

    /// <summary>Waits until the host has started (its lifetime logs "Application started"): from then on a SIGTERM
    /// is the host's to handle. Before, the runtime's default action ends the process with 143, as it would any.</summary>
    public async Task WaitUntilStartedAsync(TimeSpan timeout)
    {
        try
        {
            await Task.WhenAny(_started.Task, _process.WaitForExitAsync()).WaitAsync(timeout, TimeProvider.System);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{Name} (pid {_process.Id}) did not start within {timeout}. Its output:\n{Output}", ex);
        }

        if (!_started.Task.IsCompleted)
        {
            throw new InvalidOperationException($"{Name} (pid {_process.Id}) exited before it started. Its output:\n{Output}");
        }
    }

    /// <summary>A real SIGTERM, as ECS sends at a stop: the host's console lifetime begins the graceful shutdown.</summary>
    public void Terminate()
    {
        if (SendSignal(_process.Id, Sigterm) != 0 && !_process.HasExited)
        {
            throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Waits for the process to exit and its output to be read; its exit code. Throws with the output
    /// when it is still running after <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            await Task.WhenAll(_process.WaitForExitAsync(), _stdoutClosed.Task, _stderrClosed.Task).WaitAsync(timeout, TimeProvider.System);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{Name} (pid {_process.Id}) did not exit within {timeout}. Its output:\n{Output}", ex);
        }

        return _process.ExitCode;
    }

    /// <summary>The records of this process's audit file so far (a line not yet ended is left for later).</summary>
    public IReadOnlyList<StoredAuditRecord> ReadAudit() => ReadAudit(AuditPath);

    public static IReadOnlyList<StoredAuditRecord> ReadAudit(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        byte[] bytes;
        using (var stream = AuditFiles.OpenRead(path))
        using (var copy = new MemoryStream())
        {
            stream.CopyTo(copy);
            bytes = copy.ToArray();
        }

        var records = new List<StoredAuditRecord>();
        var rest = bytes.AsSpan();
        for (var end = rest.IndexOf((byte)'\n'); end >= 0; end = rest.IndexOf((byte)'\n'))
        {
            if (!AuditChain.TryParse(rest[..end], out var record, out var problem))
            {
                throw new InvalidDataException($"{path}: line {records.Count + 1} is not an audit record: {problem}");
            }

            records.Add(record);
            rest = rest[(end + 1)..];
        }

        return records;
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        try
        {
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10), TimeProvider.System);
        }
        catch (TimeoutException)
        {
            // left to the operating system
        }

        _process.Dispose();
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} (pid {_process.Id})");

    private static WorkerProcess Launch(string name, string auditPath, string[] arguments, Dictionary<string, string?> settings, int keptLines)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            // Relative paths (the default audit file) land in a directory of the test's, never in the checkout.
            WorkingDirectory = string.IsNullOrEmpty(auditPath) ? Path.GetTempPath() : Path.GetDirectoryName(auditPath)!,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(WorkerAssembly);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var key in start.Environment.Keys.Where(k => WorkerSections.Any(s => k.StartsWith(s, StringComparison.OrdinalIgnoreCase))).ToList())
        {
            start.Environment.Remove(key);
        }

        // appsettings.json (the shipped playbooks) is read from beside the executable; dummy credentials for the
        // default chain, and no instance-metadata look-ups on loopback-only machines.
        start.Environment["DOTNET_CONTENTROOT"] = Path.GetDirectoryName(WorkerAssembly);
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_TC_QuickJit"] = "1"; // the build turns it off for replay's throughput; a test process wants a quick start
        start.Environment["AWS_ACCESS_KEY_ID"] = AwsEndpoints.Credentials.GetCredentials().AccessKey;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = AwsEndpoints.Credentials.GetCredentials().SecretKey;
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = new Process { StartInfo = start };
        var worker = new WorkerProcess(name, auditPath, process, keptLines);
        process.OutputDataReceived += (_, e) => worker.Keep(e.Data, worker._stdoutClosed);
        process.ErrorDataReceived += (_, e) => worker.Keep(e.Data, worker._stderrClosed);
        if (!process.Start())
        {
            throw new InvalidOperationException($"{name} did not start");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>The dotnet host that runs these tests (<c>DOTNET_HOST_PATH</c> under <c>dotnet test</c>), else the
    /// one on PATH.</summary>
    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        return Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }

    private void Keep(string? line, TaskCompletionSource closed)
    {
        if (line is null)
        {
            closed.TrySetResult();
            return;
        }

        if (line.Contains("Application started", StringComparison.Ordinal))
        {
            _started.TrySetResult();
        }

        lock (_outputLock)
        {
            _output.Enqueue(line);
            if (_output.Count > _keptLines)
            {
                _output.Dequeue();
            }
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SendSignal(int pid, int signal);
}
