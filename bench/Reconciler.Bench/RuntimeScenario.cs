using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Reconciler.Controller.Runtime;
using Reconciler.Controller.Store;
using Reconciler.Controller.Telemetry;
using Reconciler.Controller.Tests.Runtime;
using Reconciler.Model.Documents;

namespace Reconciler.Bench;

/// <summary>
/// The reconcile loop with the sample reconciler on the SQLite store: a first pass (finalizer attach and a status write
/// per object) and a steady-state pass (every key enqueued again, nothing changed, no writes). Reports reconciles per
/// second and the work queue latency (add → handed to a worker) p50 and p95.
/// </summary>
internal static class RuntimeScenario
{
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2_000;
        var workers = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 4;
        var path = Path.Combine(Path.GetTempPath(), $"runtime-bench-{Guid.NewGuid():N}.db");
        try
        {
            using var store = await SqliteSpecStore.OpenAsync(new SqliteStoreOptions { Path = path, WatchPollInterval = TimeSpan.FromMilliseconds(10) }, cancellationToken: cancellationToken);
            for (var i = 0; i < count; i++)
            {
                await store.CreateAsync(Document($"bench-{i:D5}"), cancellationToken);
            }

            const string name = "runtime-bench";
            var latencies = new ConcurrentQueue<double>();
            using var listener = QueueLatencyListener(name, latencies);
            var source = new SpecStoreObjectSource(store);
            using var informer = new Informer<PulumiPipeline>(source, new InformerOptions<PulumiPipeline> { Copy = SpecStoreObjectSource.Copy });
            var status = source.StatusWriter();
            var reconciler = new SampleReconciler(status, TimeProvider.System);
            using var controller = new Controller<PulumiPipeline>(reconciler, informer, source, new ControllerOptions { Name = name, Workers = workers });
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var informerRun = informer.RunAsync(stop.Token);
            await informer.WaitForSyncAsync(cancellationToken);

            Console.WriteLine($"runtime bench: {count:N0} objects, {workers} workers, SQLite store, {Environment.ProcessorCount} cores");
            Console.WriteLine();
            Console.WriteLine("| pass | reconciles | seconds | reconciles/s | queue p50 (ms) | queue p95 (ms) | status writes |");
            Console.WriteLine("|---|---|---|---|---|---|---|");

            var clock = Stopwatch.StartNew();
            controller.Start();
            await UntilAsync(() => status.Writes == count && Idle(controller), cancellationToken);
            Report("first (attach finalizer + write status)", count, clock.Elapsed, latencies, status.Writes);

            latencies.Clear();
            var writesBefore = status.Writes;
            clock.Restart();
            foreach (var key in informer.Keys())
            {
                controller.Enqueue(key);
            }
            await UntilAsync(() => reconciler.TotalReconciles >= 2 * count && Idle(controller), cancellationToken);
            Report("steady state (nothing changed, no writes)", count, clock.Elapsed, latencies, status.Writes - writesBefore);

            await controller.StopAsync(cancellationToken);
            await stop.CancelAsync();
            await informerRun;
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }
        }
    }

    private static bool Idle(Controller<PulumiPipeline> controller) => controller.Queue.Count == 0 && controller.Queue.Processing().Count == 0;

    private static void Report(string pass, int reconciles, TimeSpan elapsed, ConcurrentQueue<double> latencies, long writes)
    {
        var sorted = latencies.Select(s => s * 1000).Order().ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {pass} | {reconciles:N0} | {elapsed.TotalSeconds:F2} | {reconciles / elapsed.TotalSeconds:N0} | {Percentiles.Of(sorted, 0.50):F2} | {Percentiles.Of(sorted, 0.95):F2} | {writes:N0} |"));
    }

    private static MeterListener QueueLatencyListener(string queue, ConcurrentQueue<double> samples)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == RuntimeMetrics.MeterName && instrument.Name == "workqueue_queue_duration_seconds")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "name" && (string?)tag.Value == queue)
                {
                    samples.Enqueue(value);
                }
            }
        });
        listener.Start();
        return listener;
    }

    private static async Task UntilAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            await Task.Delay(5, cancellationToken);
        }
    }

    private static PulumiPipeline Document(string name) => new()
    {
        Metadata = new ObjectMeta { Name = name },
        Spec = new PipelineSpec { Source = new SourceSpec { Location = $"https://github.com/acme/{name}.git" } },
    };
}
