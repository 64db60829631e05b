using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RemediationWorker.Diagnostics;

/// <summary>The poll loop's sign of life: <see cref="Beat"/> writes the current <see cref="TimeProvider"/> time
/// (ISO-8601 UTC) to <see cref="HealthOptions.HeartbeatPath"/>, at most once per <see cref="MinInterval"/>.
/// The <c>health</c> command reads the time from the file, never the file's mtime. Call it each time a poll
/// completes, with or without events (the local source after each scan, an SQS source after each
/// ReceiveMessage, the intake loop after each event).</summary>
internal sealed class Heartbeat
{
    /// <summary>Writes closer together than this are skipped: a busy loop does not write a file per event.</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(1);

    public const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    /// <summary>What the file starts with while the worker is stopped by a fault it is waiting out (<see cref="Block"/>).</summary>
    public const string UnhealthyPrefix = "unhealthy:";

    private readonly string _path;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<Heartbeat> _logger;
    private readonly Lock _gate = new();
    private DateTimeOffset _last = DateTimeOffset.MinValue;
    private bool _failing;
    private string? _blocked;

    public Heartbeat(IOptions<HealthOptions> options, TimeProvider timeProvider, ILogger<Heartbeat> logger)
    {
        _path = options.Value.ResolveHeartbeatPath();
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public string Path => _path;

    public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    /// <summary>Records that a poll completed now. Never throws: a heartbeat that cannot be written is logged
    /// once (event 1006) and shows as unhealthy through <c>health</c>.</summary>
    public void Beat()
    {
        var now = _timeProvider.GetUtcNow();
        lock (_gate)
        {
            if (_blocked is not null || now - _last < MinInterval)
            {
                return;
            }

            if (TryWrite(Format(now)))
            {
                _last = now;
            }
        }
    }

    /// <summary>The worker stopped taking work until a fault passes (the audit log cannot be written): no beat is
    /// written until <see cref="Unblock"/>, and the file says why, so <c>health</c> reports it at once. On a full
    /// disk the new file may not fit: then as much of the reason as the old file's length holds is written over it
    /// (overwriting takes no new blocks), and failing that the silence itself turns <c>health</c> unhealthy.</summary>
    public void Block(string reason)
    {
        lock (_gate)
        {
            _blocked = reason;
            var text = $"{UnhealthyPrefix} {reason}";
            if (!TryWrite(text))
            {
                TryOverwrite(text);
            }
        }
    }

    /// <summary>The fault passed: beats resume at once.</summary>
    public void Unblock()
    {
        lock (_gate)
        {
            _blocked = null;
            _last = DateTimeOffset.MinValue;
        }

        Beat();
    }

    private bool TryWrite(string text)
    {
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(_path)!);
            var temporary = _path + ".tmp";
            File.WriteAllText(temporary, text);
            File.Move(temporary, _path, overwrite: true);
            _failing = false;
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (!_failing)
            {
                _logger.HeartbeatFailed(ex, _path);
                _failing = true;
            }

            return false;
        }
    }

    private void TryOverwrite(string text)
    {
        try
        {
            using var file = new FileStream(_path, FileMode.Open, FileAccess.Write);
            var bytes = System.Text.Encoding.UTF8.GetBytes(text);
            var length = (int)Math.Min(bytes.Length, file.Length);
            file.Write(bytes, 0, length);
            file.SetLength(length);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Logged by TryWrite; the heartbeat's silence reports it.
        }
    }
}
