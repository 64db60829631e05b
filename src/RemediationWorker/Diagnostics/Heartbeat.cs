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

    private readonly string _path;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<Heartbeat> _logger;
    private readonly Lock _gate = new();
    private DateTimeOffset _last = DateTimeOffset.MinValue;
    private bool _failing;

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
            if (now - _last < MinInterval)
            {
                return;
            }

            try
            {
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(_path)!);
                var temporary = _path + ".tmp";
                File.WriteAllText(temporary, Format(now));
                File.Move(temporary, _path, overwrite: true);
                _last = now;
                _failing = false;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                if (!_failing)
                {
                    _logger.HeartbeatFailed(ex, _path);
                    _failing = true;
                }
            }
        }
    }
}
