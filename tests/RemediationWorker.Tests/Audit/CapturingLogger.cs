using Microsoft.Extensions.Logging;

namespace RemediationWorker.Tests.Audit;

/// <summary>Keeps every log entry with its structured properties.</summary>
internal sealed class CapturingLogger<T> : ILogger<T>
{
    private readonly Lock _lock = new();
    private readonly List<CapturedLogEntry> _entries = [];

    public IReadOnlyList<CapturedLogEntry> Entries
    {
        get
        {
            lock (_lock)
            {
                return [.. _entries];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var properties = state is IReadOnlyList<KeyValuePair<string, object?>> list
            ? list.Where(p => p.Key != "{OriginalFormat}").ToDictionary(p => p.Key, p => p.Value)
            : [];
        lock (_lock)
        {
            _entries.Add(new CapturedLogEntry(logLevel, eventId, formatter(state, exception), properties, exception));
        }
    }
}
