using System.Collections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RemediationWorker.Diagnostics;

/// <summary>Keeps every log line within <see cref="TextBounds.MaxLineBytes"/>: the logger providers registered so far
/// (the console's JSON lines) are wrapped, and an entry whose string values are long gets them cut by
/// <see cref="TextBounds"/>, in its properties and in its message alike. Events carry what their senders put in
/// them; a 100 KB stack id must not make a 400 KB log line.</summary>
internal static class BoundedLogging
{
    public static IServiceCollection AddBoundedLogLines(this IServiceCollection services)
    {
        for (var i = 0; i < services.Count; i++)
        {
            var descriptor = services[i];
            if (descriptor.ServiceType == typeof(ILoggerProvider) && !descriptor.IsKeyedService && descriptor.Lifetime == ServiceLifetime.Singleton)
            {
                services[i] = ServiceDescriptor.Singleton<ILoggerProvider>(provider => new BoundedLoggerProvider(ServiceDescriptorInstances.Create<ILoggerProvider>(provider, descriptor)));
            }
        }

        return services;
    }

    private sealed class BoundedLoggerProvider(ILoggerProvider inner) : ILoggerProvider, ISupportExternalScope
    {
        public ILogger CreateLogger(string categoryName) => new BoundedLogger(inner.CreateLogger(categoryName));

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => (inner as ISupportExternalScope)?.SetScopeProvider(scopeProvider);

        public void Dispose() => inner.Dispose();
    }

    private sealed class BoundedLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
            => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (state is IReadOnlyList<KeyValuePair<string, object?>> values && BoundedState.NeedsCutting(values) && inner.IsEnabled(logLevel))
            {
                var bounded = new BoundedState(values, formatter(state, exception));
                inner.Log(logLevel, eventId, bounded, exception, static (s, _) => s.Message);
                return;
            }

            inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }

    /// <summary>An entry's properties with long strings cut, and its message with the same values cut in it.</summary>
    internal sealed class BoundedState : IReadOnlyList<KeyValuePair<string, object?>>
    {
        private const string TemplateKey = "{OriginalFormat}";
        private const int TemplateRoom = 1024;
        private readonly List<KeyValuePair<string, object?>> _values;

        public BoundedState(IReadOnlyList<KeyValuePair<string, object?>> values, string message)
        {
            var sizes = new List<int>();
            foreach (var (key, value) in values)
            {
                if (key != TemplateKey && value is string text)
                {
                    sizes.Add(TextBounds.WrittenSize(text));
                }
            }

            // The template's own text (the project's, short) keeps room in the message beside the values.
            var share = TextBounds.ShareOf(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(sizes), TextBounds.LineBudgetBytes - TemplateRoom);
            _values = new List<KeyValuePair<string, object?>>(values.Count);
            foreach (var (key, value) in values)
            {
                if (key != TemplateKey && value is string text && TextBounds.Cut(text, share) is var cut && !ReferenceEquals(cut, text))
                {
                    message = message.Replace(text, cut, StringComparison.Ordinal);
                    _values.Add(new(key, cut));
                }
                else
                {
                    _values.Add(new(key, value));
                }
            }

            // What the template itself adds is the configuration's, short; this is the last stop for anything else.
            Message = TextBounds.Cut(message, TextBounds.LineBudgetBytes, maxChars: int.MaxValue);
        }

        public string Message { get; }

        public int Count => _values.Count;

        public KeyValuePair<string, object?> this[int index] => _values[index];

        public static bool NeedsCutting(IReadOnlyList<KeyValuePair<string, object?>> values)
        {
            var total = 0;
            for (var i = 0; i < values.Count; i++)
            {
                if (values[i] is { Key: not TemplateKey, Value: string text })
                {
                    total += text.Length;
                }
            }

            return !TextBounds.SurelyFits(total);
        }

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _values.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => Message;
    }
}
