using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Reconciler.Controller.Telemetry;

/// <summary>The runtime's OTel instruments, named so that Prometheus renders controller-runtime's and client-go's metric names.</summary>
/// <remarks>
/// The Prometheus exporter appends <c>_total</c> to counters and the unit (<c>s</c> → <c>_seconds</c>) to names that
/// do not already end with them; the names below already carry both, so the rendered names are exactly these.
/// Counters and histograms carry <c>controller</c> (controller_runtime_*) or <c>name</c> (workqueue_*) tags;
/// gauges are observed from the live queues, controllers and lease coordinators registered here.
/// </remarks>
public sealed class RuntimeMetrics : IDisposable
{
    public const string MeterName = "Reconciler.Runtime";

    // controller-runtime's reconcile_time buckets.
    private static readonly double[] ReconcileBuckets =
    [
        0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0,
        1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
    ];

    // client-go's workqueue buckets: 10 ns to 1000 s by powers of ten.
    private static readonly double[] QueueBuckets = [1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10, 100, 1000];

    private readonly Meter _meter;
    private readonly ConcurrentDictionary<IRuntimeProbe, byte> _probes = new();

    /// <summary>The process-wide instance used when a component is given none.</summary>
    public static RuntimeMetrics Default { get; } = new();

    public RuntimeMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        ReconcileTotal = _meter.CreateCounter<long>("controller_runtime_reconcile_total", description: "Total number of reconciliations per controller.");
        ReconcileErrors = _meter.CreateCounter<long>("controller_runtime_reconcile_errors_total", description: "Total number of reconciliation errors per controller.");
        TerminalReconcileErrors = _meter.CreateCounter<long>("controller_runtime_terminal_reconcile_errors_total", description: "Total number of terminal reconciliation errors per controller.");
        ReconcilePanics = _meter.CreateCounter<long>("controller_runtime_reconcile_panics_total", description: "Total number of reconciliation panics per controller.");
        ReconcileTime = _meter.CreateHistogram("controller_runtime_reconcile_time_seconds", "s", "Length of time per reconciliation per controller.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = ReconcileBuckets });
        ActiveWorkers = _meter.CreateUpDownCounter<long>("controller_runtime_active_workers", description: "Number of currently used workers per controller.");
        QueueAdds = _meter.CreateCounter<long>("workqueue_adds_total", description: "Total number of adds handled by workqueue.");
        QueueRetries = _meter.CreateCounter<long>("workqueue_retries_total", description: "Total number of retries handled by workqueue.");
        QueueDuration = _meter.CreateHistogram("workqueue_queue_duration_seconds", "s", "How long in seconds an item stays in workqueue before being requested.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = QueueBuckets });
        WorkDuration = _meter.CreateHistogram("workqueue_work_duration_seconds", "s", "How long in seconds processing an item from workqueue takes.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = QueueBuckets });
        _meter.CreateObservableGauge("workqueue_depth", () => Observe(p => p.Depth), description: "Current depth of workqueue.");
        _meter.CreateObservableGauge("workqueue_unfinished_work_seconds", () => Observe(p => p.UnfinishedWorkSeconds), "s",
            "How many seconds of work has been done that is in progress and hasn't been observed by work_duration.");
        _meter.CreateObservableGauge("workqueue_longest_running_processor_seconds", () => Observe(p => p.LongestRunningProcessorSeconds), "s",
            "How many seconds has the longest running processor for workqueue been running.");
        _meter.CreateObservableGauge("reconciler_leases_held", () => Observe(p => p.LeasesHeld), description: "Number of shard leases this replica holds.");
    }

    public Counter<long> ReconcileTotal { get; }
    public Counter<long> ReconcileErrors { get; }
    public Counter<long> TerminalReconcileErrors { get; }
    public Counter<long> ReconcilePanics { get; }
    public Histogram<double> ReconcileTime { get; }
    public UpDownCounter<long> ActiveWorkers { get; }
    public Counter<long> QueueAdds { get; }
    public Counter<long> QueueRetries { get; }
    public Histogram<double> QueueDuration { get; }
    public Histogram<double> WorkDuration { get; }

    /// <summary>
    /// Reports zero errors, terminal errors and panics for a new controller, as controller-runtime does, so that
    /// dashboards and alerts see the series (at 0) before the first error rather than no data.
    /// </summary>
    public void Initialize(string controller)
    {
        var tags = new TagList { { "controller", controller } };
        ReconcileErrors.Add(0, tags);
        TerminalReconcileErrors.Add(0, tags);
        ReconcilePanics.Add(0, tags);
    }

    /// <summary>Starts observing a component's gauges; dispose the result to stop.</summary>
    public IDisposable Register(IRuntimeProbe probe)
    {
        _probes[probe] = 0;
        return new Registration(this, probe);
    }

    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<double>> Observe(Func<IRuntimeProbe, double?> read)
    {
        foreach (var probe in _probes.Keys)
        {
            if (read(probe) is { } value)
            {
                yield return new Measurement<double>(value, new TagList { { probe.TagName, probe.TagValue } });
            }
        }
    }

    private sealed class Registration(RuntimeMetrics owner, IRuntimeProbe probe) : IDisposable
    {
        public void Dispose() => owner._probes.TryRemove(probe, out _);
    }
}
