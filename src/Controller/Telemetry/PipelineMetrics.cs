using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Reconciler.Controller.Telemetry;

/// <summary>The pipeline controller's own instruments: drift, applies, resource changes and status writes.</summary>
public sealed class PipelineMetrics : IDisposable
{
    public const string MeterName = "Reconciler.Pipelines";

    private readonly Meter _meter;

    /// <summary>The process-wide instance used when a component is given none.</summary>
    public static PipelineMetrics Default { get; } = new();

    public PipelineMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        DriftDetected = _meter.CreateCounter<long>("reconciler_drift_detected_total", description: "Reconciles that found live state drifted from an unchanged spec.");
        DriftCorrected = _meter.CreateCounter<long>("reconciler_drift_corrected_total", description: "Drifts corrected under driftPolicy Correct.");
        Applies = _meter.CreateCounter<long>("reconciler_apply_total", description: "Applies by engine and result.");
        ResourceChanges = _meter.CreateCounter<long>("reconciler_resource_changes_total", description: "Resources created, updated, deleted or released, by kind and action.");
        StatusWrites = _meter.CreateCounter<long>("reconciler_status_writes_total", description: "Status writes to the store.");
        StatusWritesSkipped = _meter.CreateCounter<long>("reconciler_status_writes_skipped_total", description: "Reconciles that left status alone because nothing changed.");
    }

    public Counter<long> DriftDetected { get; }
    public Counter<long> DriftCorrected { get; }
    public Counter<long> Applies { get; }
    public Counter<long> ResourceChanges { get; }
    public Counter<long> StatusWrites { get; }
    public Counter<long> StatusWritesSkipped { get; }

    public static TagList Tags(params (string Key, object? Value)[] pairs)
    {
        var tags = new TagList();
        foreach (var (key, value) in pairs)
        {
            tags.Add(key, value);
        }
        return tags;
    }

    public void Dispose() => _meter.Dispose();
}
