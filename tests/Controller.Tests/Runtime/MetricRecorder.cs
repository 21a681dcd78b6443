using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Reconciler.Controller.Telemetry;

namespace Reconciler.Controller.Tests.Runtime;

/// <summary>Sums the runtime's counter measurements that carry one controller's tag, so parallel tests do not see each other.</summary>
internal sealed class MetricRecorder : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentDictionary<string, double> sums = new();

    public MetricRecorder(string controller)
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == RuntimeMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags, controller));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags, controller));
        listener.Start();
    }

    /// <summary>The sum of <paramref name="instrument"/>, optionally only where the <c>result</c> tag is <paramref name="result"/>.</summary>
    public double Sum(string instrument, string? result = null) => sums.GetValueOrDefault(result is null ? instrument : $"{instrument}|{result}");

    public void Dispose() => listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags, string controller)
    {
        string? result = null;
        var mine = false;
        foreach (var tag in tags)
        {
            mine |= tag.Key == "controller" && (string?)tag.Value == controller;
            if (tag.Key == "result")
            {
                result = (string?)tag.Value;
            }
        }
        if (!mine)
        {
            return;
        }
        sums.AddOrUpdate(instrument.Name, value, (_, s) => s + value);
        if (result is not null)
        {
            sums.AddOrUpdate($"{instrument.Name}|{result}", value, (_, s) => s + value);
        }
    }
}
