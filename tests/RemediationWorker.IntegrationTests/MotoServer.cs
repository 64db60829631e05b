using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using RemediationWorker.Testing;

namespace RemediationWorker.IntegrationTests;

/// <summary>Starts <c>moto_server</c> on a free loopback port (with the test patches of <c>moto/</c>) and kills its
/// process tree at the end.</summary>
public sealed class MotoServer : IAsyncDisposable
{
    private readonly Process _process;

    private MotoServer(Process process, int port)
    {
        _process = process;
        Url = $"http://127.0.0.1:{port}";
    }

    public string Url { get; }

    /// <param name="stockReceive">Leave moto's own ReceiveMessage retention check, which scans the queue per returned
    /// message (moto/sitecustomize.py; the drain benchmark's BENCH_STOCK_MOTO=1).</param>
    /// <param name="environment">More variables for moto_server (<c>INITIAL_NO_AUTH_ACTION_COUNT</c>: IAM enforced after
    /// that many requests).</param>
    public static async Task<MotoServer> StartAsync(bool stockReceive = false, IReadOnlyDictionary<string, string>? environment = null)
    {
        var port = FreePort();
        string[] arguments = ["-H", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        var start = new ProcessStartInfo("moto_server", arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // moto/sitecustomize.py: transactions back up the items they name instead of whole tables, and a receive
        // no longer scans the queue for each message it returns (see there).
        var patches = Path.Combine(RepositoryPaths.Root, "tests", "RemediationWorker.IntegrationTests", "moto");
        start.Environment["PYTHONPATH"] = Environment.GetEnvironmentVariable("PYTHONPATH") is { Length: > 0 } path ? patches + Path.PathSeparator + path : patches;
        start.Environment["MOTO_STOCK_RECEIVE"] = stockReceive ? "1" : "0";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("moto_server did not start");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("moto_server is not on PATH: pip install 'moto[server]'", ex);
        }

        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null && errors.Count < 20)
            {
                errors.Enqueue(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new MotoServer(process, port);
        using var http = new HttpClient();
        for (var i = 0; i < 300 && !process.HasExited; i++)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(server.Url + "/moto-api/"));
                return server;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System);
            }
        }

        await server.DisposeAsync();
        throw new InvalidOperationException($"moto_server did not answer within 30 s: {string.Join(" / ", errors)}");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10), TimeProvider.System);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }

        _process.Dispose();
    }
}
