using System.Diagnostics.Metrics;

namespace Reconciler.Controller.Telemetry;

/// <summary>Gauges of the specs' state as the informer's cache holds it: how many in each phase, how many drifted.</summary>
/// <remarks>What the alert rules ask about "stalled" and "drift not corrected"; read from the cache, never the store.</remarks>
public sealed class StatusMetrics : IDisposable
{
    public const string MeterName = "Reconciler.Status";

    private readonly Meter _meter;

    /// <param name="read">The current count of specs per phase (the cache's view), and the count of specs with <c>Drifted=True</c>.</param>
    public StatusMetrics(Func<(IReadOnlyDictionary<string, int> Phases, int Drifted)> read, IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _meter.CreateObservableGauge("reconciler_specs", () =>
            read().Phases.Select(p => new Measurement<int>(p.Value, new KeyValuePair<string, object?>("phase", p.Key))),
            description: "Specs in the controller's cache, by status phase.");
        _meter.CreateObservableGauge("reconciler_specs_drifted", () => read().Drifted,
            description: "Specs whose Drifted condition is True (live state differs from the spec and was not corrected).");
    }

    public void Dispose() => _meter.Dispose();
}
