using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace RemediationWorker.Testing;

/// <summary>Records the long measurements of one <see cref="Meter"/> instance (not of others with the same name,
/// which tests running beside it may create).</summary>
internal sealed class MetricRecorder : IDisposable
{
    private readonly MeterListener _listener;
    private readonly ConcurrentQueue<(string Name, long Value, Dictionary<string, object?> Tags)> _measurements = new();

    public MetricRecorder(Meter meter)
    {
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter, meter))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            _measurements.Enqueue((instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        _listener.Start();
    }

    public IEnumerable<(string Name, long Value, Dictionary<string, object?> Tags)> Measurements => _measurements;

    /// <summary>The sum of an instrument's measurements whose tags have the given values.</summary>
    public long Sum(string instrument, params (string Key, string Value)[] tags)
        => _measurements.Where(m => m.Name == instrument && tags.All(t => m.Tags.TryGetValue(t.Key, out var v) && (v as string) == t.Value)).Sum(m => m.Value);

    public void Dispose() => _listener.Dispose();
}
