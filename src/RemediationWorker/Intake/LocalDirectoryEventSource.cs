using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RemediationWorker.Diagnostics;

namespace RemediationWorker.Intake;

/// <summary>Reads events from a directory of <c>.json</c> / <c>.jsonl</c> files (<c>Intake:Local:Path</c>), in
/// name order. It never writes, moves or deletes a file: what was processed is remembered in memory, per
/// file as the number of events completed, so a grown <c>.jsonl</c> is read on from where it stopped and a
/// rewritten file is read again. With <see cref="RunSettings.Once"/> it stops when everything present at
/// start has been read.</summary>
internal sealed class LocalDirectoryEventSource : IEventSource
{
    private readonly string _path;
    private readonly TimeSpan _pollInterval;
    private readonly bool _once;
    private readonly int _maxEventBytes;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<LocalDirectoryEventSource> _logger;
    private readonly Dictionary<string, FileProgress> _progress = new(StringComparer.Ordinal);
    private readonly Heartbeat? _heartbeat;

    public LocalDirectoryEventSource(IOptions<IntakeOptions> options, RunSettings settings, TimeProvider timeProvider, ILogger<LocalDirectoryEventSource> logger, Heartbeat? heartbeat = null)
    {
        _heartbeat = heartbeat;
        _path = options.Value.Local.Path;
        _pollInterval = options.Value.Local.PollInterval;
        _once = settings.Once;
        _maxEventBytes = options.Value.Limits.MaxEventBytes;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public string Description => _path;

    public async IAsyncEnumerable<IncomingEvent> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        _logger.IntakeStarted(_path, _once ? "once: drain and exit" : "watching for new files");
        var count = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            IReadOnlyList<string> files;
            try
            {
                files = EventFileReader.ListFiles(_path);
            }
            catch (FileNotFoundException ex) when (!_once)
            {
                _logger.InputUnreadable(_path, ex.Message);
                files = [];
            }

            foreach (var file in files)
            {
                var info = new FileInfo(file);
                if (!info.Exists)
                {
                    continue;
                }

                var stamp = (info.Length, info.LastWriteTimeUtc);
                var progress = _progress.GetValueOrDefault(file);
                if (progress is not null && progress.Stamp == stamp && progress.Complete)
                {
                    continue;
                }

                // A .jsonl that grew is read on; any other change (a rewritten file) is read from the start.
                var grown = progress is not null && file.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) && stamp.Length >= progress.Stamp.Length;
                var current = new FileProgress(stamp, grown ? progress!.Done : 0);
                _progress[file] = current;
                foreach (var incoming in EventFileReader.ReadFile(file, _maxEventBytes, current.Done))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    count++;
                    yield return incoming with { SourceState = current };
                    if (current.Stopped)
                    {
                        break;
                    }
                }

                current.Complete = !current.Stopped || _once;
            }

            _heartbeat?.Beat(); // a scan is a completed poll, with or without events
            if (_once)
            {
                _logger.IntakeDrained(count, _path);
                yield break;
            }

            await Task.Delay(_pollInterval, _timeProvider, cancellationToken);
        }
    }

    public ValueTask CompleteAsync(IncomingEvent incoming, EventOutcome outcome, CancellationToken cancellationToken)
    {
        if (incoming.SourceState is FileProgress progress)
        {
            if (outcome == EventOutcome.RetryLater)
            {
                progress.Stopped = true; // read this file again from here at the next look
            }
            else
            {
                progress.Done++;
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>How far one file has been handled.</summary>
    private sealed class FileProgress((long Length, DateTime LastWrite) stamp, int done)
    {
        public (long Length, DateTime LastWrite) Stamp { get; } = stamp;

        public int Done { get; set; } = done;

        public bool Stopped { get; set; }

        public bool Complete { get; set; }
    }
}
