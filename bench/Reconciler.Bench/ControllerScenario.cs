using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Reconciler.Controller.Aws;
using Reconciler.Controller.Hosting;
using Reconciler.Controller.Reconciliation;
using Reconciler.Controller.Runtime;
using Reconciler.Controller.Store;
using Reconciler.Model.Documents;
using Reconciler.Model.Validation;
using Reconciler.Tests.Shared;

namespace Reconciler.Bench;

/// <summary>
/// The controller scenario, on SQLite, the direct engine and LocalCloud over HTTP in a process of its own (so the
/// peak memory reported is the controller's, not that of the 30,000 projects LocalCloud holds):
/// cold convergence of 1,000 specs of 3 stages; a steady-state resync of 10,000 specs with no drift; the same
/// resync with the naive observer (one read per resource), for the ratio of calls and of wall time.
/// </summary>
internal static class ControllerScenario
{
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var cold = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000;
        var steady = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000;
        var workers = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 256;
        var website = Sample("website.json");
        var payments = Sample("payments-pipeline.json");
        // One spec in a hundred has a CodePipeline pipeline; every spec has 3 stages.
        PulumiPipeline Spec(int i) => Named(i % 100 == 99 ? payments : website, $"s{i:D5}");

        var work = Directory.CreateTempSubdirectory("reconciler-bench-controller-");
        try
        {
            await using var cloud = await LocalCloudProcess.StartAsync([website.Spec.Pulumi.AccessTokenParameter], cancellationToken);
            using var clients = new AwsClients(EmbeddedCloud.ClientOptionsFor(cloud.Endpoint), null, environment: _ => null);
            await using var store = await SqliteSpecStore.OpenAsync(new SqliteStoreOptions { Path = Path.Combine(work.FullName, "bench.db") }, cancellationToken: cancellationToken);
            var options = new PipelineControllerOptions { Workers = workers, BatchWindow = TimeSpan.FromMilliseconds(50) };
            Console.WriteLine($"controller bench: {Environment.ProcessorCount} cores, {workers} workers, SQLite store, LocalCloud in its own process over HTTP, direct engine, {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC");
            Console.WriteLine();

            // 1. Cold convergence.
            await CreateAsync(store, Enumerable.Range(0, cold).Select(Spec), cancellationToken);
            await cloud.ResetCountersAsync(cancellationToken);
            var clock = Stopwatch.StartNew();
            var (coldHost, _) = NewController(store, clients, options);
            await using (coldHost)
            {
                await StartAsync(coldHost, cancellationToken);
                await WaitReadyAsync(store, cold, cancellationToken);
                clock.Stop();
                await coldHost.StopAsync(cancellationToken);
            }
            Console.WriteLine($"## cold convergence: {cold:N0} specs × 3 stages ({cold / 100:N0} with a pipeline)");
            Console.WriteLine();
            Console.WriteLine($"every spec Ready in {clock.Elapsed.TotalSeconds:0.00} s; API calls by operation:");
            PrintCalls(await cloud.RequestsAsync(cancellationToken));

            // 2. Steady-state resync of many specs, after they converged.
            await CreateAsync(store, Enumerable.Range(cold, steady - cold).Select(Spec), cancellationToken);
            var (host, controller) = NewController(store, clients, options);
            await using (host)
            {
                var converge = Stopwatch.StartNew();
                await StartAsync(host, cancellationToken);
                await WaitReadyAsync(store, steady, cancellationToken);
                await WaitIdleAsync(controller, cancellationToken);
                Console.WriteLine($"(converged the other {steady - cold:N0} specs in {converge.Elapsed.TotalSeconds:0.0} s)");
                Console.WriteLine();

                var batched = await MeasureResyncAsync(store, cloud, controller, () => controller.ResyncNow(), cancellationToken);
                await host.StopAsync(cancellationToken);

                var (naiveHost, naiveController) = NewController(store, clients, options with { NaiveObserver = true });
                await using var naiveOwner = naiveHost;
                // The naive controller's first list enqueues every spec: the same work as a resync.
                var naive = await MeasureResyncAsync(store, cloud, naiveController, () => StartAsync(naiveHost, cancellationToken).GetAwaiter().GetResult(), cancellationToken);
                await naiveHost.StopAsync(cancellationToken);

                // 3. The same resync by the product itself, alone in its process: its memory is the controller's only.
                var alone = await MeasureRunAsync(store, cloud, Path.Combine(work.FullName, "bench.db"), steady, workers, cancellationToken);

                Console.WriteLine($"## steady-state resync of {steady:N0} specs (no drift)");
                Console.WriteLine();
                Console.WriteLine("| observer | wall time (s) | API calls | store writes |");
                Console.WriteLine("|---|---|---|---|");
                Console.WriteLine(batched.Row("batched (LiveStateReader)"));
                Console.WriteLine(naive.Row("naive (one read per resource)"));
                Console.WriteLine();
                Console.WriteLine($"naive / batched: {(double)naive.Calls / batched.Calls:0.0}× the calls, {naive.Seconds / batched.Seconds:0.0}× the wall time");
                Console.WriteLine();
                Console.WriteLine("batched resync calls by operation:");
                foreach (var (operation, count) in batched.ByOperation)
                {
                    Console.WriteLine($"  {operation,-36} {count,8:N0}");
                }
                Console.WriteLine();
                Console.WriteLine($"## `reconciler run` alone in its process: start, then its periodic resync ({workers} workers, no shards, no client-side rate limit, resync every {RunResyncSeconds} s)");
                Console.WriteLine();
                Console.WriteLine("| pass | wall time (s) | API calls | calls by operation |");
                Console.WriteLine("|---|---|---|---|");
                Console.WriteLine($"| first (start to idle: the first list enqueues every spec) | {alone.FirstSeconds:0.00} | {alone.FirstCalls.Values.Sum():N0} | {ByOperation(alone.FirstCalls)} |");
                Console.WriteLine($"| periodic resync (first reconcile to idle) | {alone.ResyncSeconds:0.00} | {alone.ResyncCalls.Values.Sum():N0} | {ByOperation(alone.ResyncCalls)} |");
                Console.WriteLine();
                Console.WriteLine($"executable: {RunProcess.Executable}");
                Console.WriteLine($"store writes over both passes: {alone.StoreWrites:N0}; peak RSS over the process's whole life: {alone.PeakMegabytes:0} MB; exit on SIGTERM: {alone.Exit}");
                Console.WriteLine($"(a new process reads each pipeline once; the peak includes start-up and the informer's cache of all {steady:N0} specs; " +
                    $"LocalCloud's own peak, in its process: {cloud.PeakMegabytes():0} MB)");
            }
            return 0;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>A composition root with the pipeline controller added, not started; the resync never comes on its own.</summary>
    private static (ReconcilerHost Host, PipelineController Controller) NewController(ISpecStore store, AwsClients clients, PipelineControllerOptions options)
    {
        var host = new ReconcilerHost(store, clients.Services, new ReconcilerHostOptions { ResyncPeriod = TimeSpan.FromHours(1) }, TimeProvider.System, NullLoggerFactory.Instance);
        var controller = new PipelineController(host, options);
        host.Add(controller);
        return (host, controller);
    }

    private static async Task StartAsync(ReconcilerHost host, CancellationToken cancellationToken)
    {
        await host.StartAsync(cancellationToken);
        await host.WaitForCacheSyncAsync(cancellationToken);
    }

    private static async Task<Resync> MeasureResyncAsync(ISpecStore store, LocalCloudProcess cloud, PipelineController controller, Action start, CancellationToken cancellationToken)
    {
        var before = await VersionsAsync(store, cancellationToken);
        GC.Collect();
        await cloud.ResetCountersAsync(cancellationToken);
        var clock = Stopwatch.StartNew();
        start();
        await WaitIdleAsync(controller, cancellationToken);
        clock.Stop();
        var after = await VersionsAsync(store, cancellationToken);
        var writes = after.Count(kv => before.GetValueOrDefault(kv.Key) != kv.Value);
        var calls = await cloud.RequestsAsync(cancellationToken);
        return new Resync(clock.Elapsed.TotalSeconds, calls.Values.Sum(), writes, calls.Select(c => (c.Key, c.Value)).ToList());
    }

    // Long enough that the first pass ends before the first periodic resync begins (the resync is jittered).
    private const int RunResyncSeconds = 40;

    private static async Task<RunAlone> MeasureRunAsync(ISpecStore store, LocalCloudProcess cloud, string databasePath, int specs, int workers, CancellationToken cancellationToken)
    {
        var before = await VersionsAsync(store, cancellationToken);
        await cloud.ResetCountersAsync(cancellationToken);
        var clock = Stopwatch.StartNew();
        await using var run = await RunProcess.StartAsync(databasePath, cloud.Endpoint, workers, $"{RunResyncSeconds}s", cancellationToken);
        await run.WaitIdleAsync(specs, cancellationToken);
        var first = clock.Elapsed.TotalSeconds;
        var firstCalls = await cloud.RequestsAsync(cancellationToken);
        await cloud.ResetCountersAsync(cancellationToken);

        await run.WaitBeyondAsync(specs, cancellationToken);
        var resync = Stopwatch.StartNew();
        await run.WaitIdleAsync(2L * specs, cancellationToken);
        resync.Stop();
        var peak = run.PeakMegabytes();
        var resyncCalls = await cloud.RequestsAsync(cancellationToken);
        var exit = await run.StopAsync(cancellationToken);
        var after = await VersionsAsync(store, cancellationToken);
        var writes = after.Count(kv => before.GetValueOrDefault(kv.Key) != kv.Value);
        return new RunAlone(first, firstCalls, resync.Elapsed.TotalSeconds, resyncCalls, writes, peak, exit);
    }

    private static async Task CreateAsync(ISpecStore store, IEnumerable<PulumiPipeline> documents, CancellationToken cancellationToken)
    {
        foreach (var document in documents)
        {
            await store.CreateAsync(document, cancellationToken);
        }
    }

    private static async Task<Dictionary<string, string?>> VersionsAsync(ISpecStore store, CancellationToken cancellationToken)
    {
        var versions = new Dictionary<string, string?>(StringComparer.Ordinal);
        string? next = null;
        do
        {
            var page = await store.ListAsync(new ListOptions(1000, next), cancellationToken);
            foreach (var document in page.Items)
            {
                versions[document.Metadata.Name] = document.Metadata.ResourceVersion;
            }
            next = page.ContinueToken;
        }
        while (next is not null);
        return versions;
    }

    private static async Task WaitReadyAsync(ISpecStore store, int count, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(10));
        while (true)
        {
            var ready = 0;
            string? next = null;
            do
            {
                var page = await store.ListAsync(new ListOptions(1000, next), timeout.Token);
                ready += page.Items.Count(d => d.Status is { } s && s.ObservedGeneration == d.Metadata.Generation && Conditions.IsTrue(s.Conditions, ConditionTypes.Ready));
                next = page.ContinueToken;
            }
            while (next is not null);
            if (ready >= count)
            {
                return;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200), timeout.Token);
        }
    }

    private static async Task WaitIdleAsync(PipelineController controller, CancellationToken cancellationToken)
    {
        var queue = controller.Controller.Queue;
        while (queue.Count > 0 || queue.DelayedCount > 0 || queue.Processing().Count > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(5), cancellationToken);
        }
    }

    private static string ByOperation(IReadOnlyDictionary<string, long> calls) => string.Join(", ", calls.Select(c => $"{c.Key} {c.Value:N0}"));

    private static void PrintCalls(IReadOnlyDictionary<string, long> calls)
    {
        Console.WriteLine();
        Console.WriteLine("| operation | calls |");
        Console.WriteLine("|---|---|");
        foreach (var (operation, count) in calls)
        {
            Console.WriteLine($"| {operation} | {count:N0} |");
        }
        Console.WriteLine($"| total | {calls.Values.Sum():N0} |");
        Console.WriteLine();
    }

    private static PulumiPipeline Sample(string file)
    {
        var path = Path.Combine(RepositoryPaths.Root, "samples", "specs", file);
        var result = SpecValidator.Validate(path, File.ReadAllText(path));
        return result.Document ?? throw new InvalidOperationException(string.Join("; ", result.Errors));
    }

    private static PulumiPipeline Named(PulumiPipeline document, string name) => document with { Metadata = document.Metadata with { Name = name } };

    private sealed record RunAlone(
        double FirstSeconds, IReadOnlyDictionary<string, long> FirstCalls, double ResyncSeconds, IReadOnlyDictionary<string, long> ResyncCalls,
        int StoreWrites, double PeakMegabytes, int Exit);

    private sealed record Resync(
        double Seconds, long Calls, int StoreWrites, IReadOnlyList<(string Operation, long Count)> ByOperation)
    {
        public string Row(string label) => $"| {label} | {Seconds:0.00} | {Calls:N0} | {StoreWrites:N0} |";
    }
}
