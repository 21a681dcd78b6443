using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Reconciler.Controller.Tests.Tracing;

/// <summary>Collects the measurements of the meters a test chooses, with their tags, so parallel tests can tell theirs apart.</summary>
public sealed class MetricRecorder : IDisposable
{
    private readonly MeterListener _listener = new();

    /// <summary>Records one meter instance only.</summary>
    public MetricRecorder(Meter meter)
        : this(m => ReferenceEquals(m, meter))
    {
    }

    public MetricRecorder(Func<Meter, bool> meters)
    {
        _listener.InstrumentPublished = (instrument, l) =>
        {
            if (meters(instrument.Meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    public ConcurrentQueue<(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags)> Measurements { get; } = new();

    public double Sum(string instrument, Func<IReadOnlyDictionary<string, object?>, bool>? filter = null) =>
        Measurements.Where(m => m.Instrument == instrument && (filter is null || filter(m.Tags))).Sum(m => m.Value);

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }
        Measurements.Enqueue((instrument.Name, value, copy));
    }

    public void Dispose() => _listener.Dispose();
}
