using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RemediationWorker.Diagnostics;

namespace RemediationWorker.Intake;

/// <summary>Reads events from a directory of <c>.json</c> / <c>.jsonl</c> files (<c>Intake:Local:Path</c>), in
/// name order. It never writes, moves or deletes a file: what was processed is remembered in memory, per file as its
/// <see cref="FileIdentity"/> and the byte offset after the last event completed. A <c>.jsonl</c> that grew is read
/// on from that offset; a file with another identity (replaced, rewritten in place) or shorter than the offset is
/// read again from the start. With <see cref="RunSettings.Once"/> it stops when everything present at start has been
/// read; what it could not read (an I/O error) or had to leave is kept in <see cref="UnreadInputs"/>.</summary>
internal sealed class LocalDirectoryEventSource : IEventSource
{
    private readonly string _path;
    private readonly TimeSpan _pollInterval;
    private readonly bool _once;
    private readonly int _maxEventBytes;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<LocalDirectoryEventSource> _logger;
    private readonly Dictionary<string, FileProgress> _progress = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unreadableLogged = new(StringComparer.Ordinal);
    private readonly UnreadInputs _unread;
    private readonly Heartbeat? _heartbeat;

    public LocalDirectoryEventSource(IOptions<IntakeOptions> options, RunSettings settings, TimeProvider timeProvider, ILogger<LocalDirectoryEventSource> logger, Heartbeat? heartbeat = null, UnreadInputs? unread = null)
    {
        _heartbeat = heartbeat;
        _unread = unread ?? new UnreadInputs();
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
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Unreadable(_path, ex);
                files = [];
            }

            foreach (var file in files)
            {
                if (Plan(file) is not { } current)
                {
                    continue;
                }

                var unreadable = false;
                var events = EventFileReader.ReadFile(file, _maxEventBytes, current.Position, wholeLinesOnly: current.WholeLinesOnly, trackPositions: true);
                foreach (var incoming in EventFileReader.UntilUnreadable(events, ex => { unreadable = true; Unreadable(file, ex); return null; }))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    count++;
                    yield return incoming with { SourceState = new LocalPosition(current, (EventFileReader.FilePosition)incoming.SourceState!) };
                    if (current.Stopped)
                    {
                        break;
                    }
                }

                current.Complete = !unreadable && (!current.Stopped || _once);
                if (!unreadable && !current.Stopped)
                {
                    Readable(file);
                }
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
        if (incoming.SourceState is LocalPosition { Progress: var progress, End: var end })
        {
            if (outcome == EventOutcome.RetryLater)
            {
                progress.Stopped = true; // read this file again from this event at the next look
                if (_once)
                {
                    _unread.Add(incoming.Name, "handed back for a later retry; the rest of its file was not read");
                }
            }
            else
            {
                progress.Position = end;
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Where to read <paramref name="file"/> from at this look, or <see langword="null"/> when there is
    /// nothing new (or it cannot be read now).</summary>
    private FileProgress? Plan(string file)
    {
        try
        {
            var length = new FileInfo(file).Length;
            var known = _progress.GetValueOrDefault(file);
            var same = known is not null && length >= known.Position.Offset
                && FileIdentity.Of(file, length, known.Identity.HeadLength) == known.Identity;
            if (same && known!.Complete && length == known.Length)
            {
                return null;
            }

            var identity = same && known!.Identity.HeadLength == Math.Min(FileIdentity.MaxHeadLength, length) ? known.Identity : FileIdentity.Of(file, length);
            var lines = file.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase);
            var current = new FileProgress(identity, same && lines ? known!.Position : EventFileReader.FilePosition.Start, length)
            {
                // A last line without its line end may be half written: it is read once the file has stopped changing.
                WholeLinesOnly = !_once && known?.Length != length,
            };
            _progress[file] = current;
            return current;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Unreadable(file, ex);
            return null;
        }
    }

    private void Unreadable(string input, Exception ex)
    {
        var name = Path.GetFileName(input) is { Length: > 0 } fileName ? fileName : input;
        if (_once)
        {
            _unread.Add(name, $"unreadable: {ex.Message}");
        }

        if (_unreadableLogged.Add(input))
        {
            _logger.InputUnreadable(input, ex.Message); // once until it is read again, not at every look
        }
    }

    private void Readable(string input) => _unreadableLogged.Remove(input);

    /// <summary>How far one file has been handled, for the identity it had when this look began.</summary>
    private sealed class FileProgress(FileIdentity identity, EventFileReader.FilePosition position, long length)
    {
        public FileIdentity Identity { get; } = identity;

        public EventFileReader.FilePosition Position { get; set; } = position;

        /// <summary>The file's length when this look began.</summary>
        public long Length { get; } = length;

        public bool WholeLinesOnly { get; init; }

        public bool Stopped { get; set; }

        public bool Complete { get; set; }
    }

    /// <summary>An event's file and where it ends.</summary>
    private sealed record LocalPosition(FileProgress Progress, EventFileReader.FilePosition End);
}
