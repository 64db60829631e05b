using Microsoft.Extensions.Logging;

namespace RemediationWorker.Tests.Audit;

internal sealed record CapturedLogEntry(
    LogLevel Level, EventId EventId, string Message, IReadOnlyDictionary<string, object?> Properties, Exception? Exception);
