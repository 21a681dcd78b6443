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
        var resyncs = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 2;
        var website = Sample("website.json");
        var payments = Sample("payments-pipeline.json");
        // One spec in a hundred has a CodePipeline pipeline; every spec has 3 stages.
        PulumiPipeline Spec(int i) => Named(i % 100 == 99 ? payments : website, $"s{i:D5}");

        var work = Directory.CreateTempSubdirectory("reconciler-bench-controller-");
        try
        {
            await using var cloud = await LocalCloudProcess.StartAsync([website.Spec.Pulumi.AccessTokenParameter], cancellationToken);
            var clientOptions = EmbeddedCloud.ClientOptionsFor(cloud.Endpoint);
            var clientSettings = DescribeClients(clientOptions);
            using var clients = new AwsClients(clientOptions, null, environment: _ => null);
            await using var store = await SqliteSpecStore.OpenAsync(new SqliteStoreOptions { Path = Path.Combine(work.FullName, "bench.db") }, cancellationToken: cancellationToken);
            var options = new PipelineControllerOptions { Workers = workers, BatchWindow = TimeSpan.FromMilliseconds(50) };
            Console.WriteLine($"controller bench: {Environment.ProcessorCount} cores, {workers} workers, SQLite store, LocalCloud in its own process over HTTP, direct engine, {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC; {clientSettings}");
            Console.WriteLine();

            // 1. Cold convergence.
            var coldSeconds = await ConvergeColdAsync(store, cloud, clients, options, Enumerable.Range(0, cold).Select(Spec).ToList(), cancellationToken);
            Console.WriteLine($"## cold convergence: {cold:N0} specs × 3 stages ({cold / 100:N0} with a pipeline); {clientSettings}");
            Console.WriteLine();
            Console.WriteLine($"every spec Ready in {coldSeconds:0.00} s; API calls by operation:");
            PrintCalls(await cloud.RequestsAsync(cancellationToken));

            // 2. Steady-state resync of many specs, after they converged.
            await CreateAsync(store, Enumerable.Range(cold, steady - cold).Select(Spec), cancellationToken);
            var (host, controller) = NewController(store, clients, options);
            await using (host)
            {
                await cloud.ResetCountersAsync(cancellationToken);
                var converge = Stopwatch.StartNew();
                await StartAsync(host, cancellationToken);
                await WaitReadyAsync(store, controller, steady, cancellationToken);
                var convergeSeconds = converge.Elapsed.TotalSeconds;
                var convergeCalls = await cloud.RequestsAsync(cancellationToken);
                Console.WriteLine($"## cold convergence at scale: the other {steady - cold:N0} specs Ready in {convergeSeconds:0.0} s = {(steady - cold) / convergeSeconds:0} specs/s ({clientSettings}); {convergeCalls.Values.Sum():N0} API calls: {ByOperation(convergeCalls)}");
                Console.WriteLine();

                var batched = await MeasureResyncAsync(store, cloud, controller, () => controller.ResyncNow(), cancellationToken);
                await host.StopAsync(cancellationToken);

                // BENCH_SKIP_NAIVE=1 leaves the baseline out (at 100,000 specs it costs minutes and proves nothing new).
                Resync? naive = null;
                if (Environment.GetEnvironmentVariable("BENCH_SKIP_NAIVE") != "1")
                {
                    var (naiveHost, naiveController) = NewController(store, clients, options with { NaiveObserver = true });
                    await using var naiveOwner = naiveHost;
                    // The naive controller's first list enqueues every spec: the same work as a resync.
                    naive = await MeasureResyncAsync(store, cloud, naiveController, () => StartAsync(naiveHost, cancellationToken).GetAwaiter().GetResult(), cancellationToken);
                    await naiveHost.StopAsync(cancellationToken);
                }

                Console.WriteLine($"## steady-state resync of {steady:N0} specs (no drift); {clientSettings}");
                Console.WriteLine();
                Console.WriteLine("| observer | wall time (s) | API calls | store writes |");
                Console.WriteLine("|---|---|---|---|");
                Console.WriteLine(batched.Row("batched (LiveStateReader)"));
                if (naive is not null)
                {
                    Console.WriteLine(naive.Row("naive (one read per resource)"));
                    Console.WriteLine();
                    Console.WriteLine($"naive / batched: {(double)naive.Calls / batched.Calls:0.0}× the calls, {naive.Seconds / batched.Seconds:0.0}× the wall time");
                }
                Console.WriteLine();
                Console.WriteLine("batched resync calls by operation:");
                foreach (var (operation, count) in batched.ByOperation)
                {
                    Console.WriteLine($"  {operation,-36} {count,8:N0}");
                }
                Console.WriteLine();
                // 3. The same resync by the product itself, alone in its process: its memory is the controller's only.
                // Once per environment: BENCH_RUN_ENV (default: none), then BENCH_RUN_ENV2 when set (e.g. a heap limit).
                foreach (var environment in RunProcess.Environments())
                {
                    RunAlone alone;
                    try
                    {
                        alone = await MeasureRunAsync(store, cloud, Path.Combine(work.FullName, "bench.db"), steady, workers, resyncs, environment, cancellationToken);
                    }
                    catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException)
                    {
                        Console.WriteLine($"## `reconciler run` alone ({Describe(environment)}) failed: {ex.Message}");
                        continue;
                    }
                    Console.WriteLine($"## `reconciler run` alone in its process ({Describe(environment)}): start, then its periodic resync ({workers} workers, no shards, clients: rate limit off (--aws-rate-limit 0), retries and circuit breaker at run's defaults, resync every {alone.ResyncPeriod.TotalSeconds:0} s ± 10%)");
                    Console.WriteLine();
                    Console.WriteLine("| pass | wall time (s) | reconciles | API calls | calls by operation |");
                    Console.WriteLine("|---|---|---|---|---|");
                    Console.WriteLine($"| first (start to idle: the first list enqueues every spec) | {alone.First.Seconds:0.00} | {alone.First.Reconciles:N0} | {alone.First.Calls.Values.Sum():N0} | {ByOperation(alone.First.Calls)} |");
                    for (var i = 0; i < alone.Resyncs.Count; i++)
                    {
                        var pass = alone.Resyncs[i];
                        Console.WriteLine($"| periodic resync {i + 1} (first reconcile to idle) | {pass.Seconds:0.00} | {pass.Reconciles:N0} | {pass.Calls.Values.Sum():N0} | {ByOperation(pass.Calls)} |");
                    }
                    Console.WriteLine();
                    if (alone.First.Reconciles > steady)
                    {
                        Console.WriteLine($"WARNING: a periodic resync began before the first pass ended ({alone.First.Reconciles:N0} reconciles for {steady:N0} specs): " +
                            "its figures include it; raise BENCH_RUN_RESYNC (seconds)");
                    }
                    Console.WriteLine($"memory of `reconciler run` over time (environment: {(Describe(environment))}):");
                    Console.WriteLine();
                    Console.WriteLine(MemorySample.Header);
                    foreach (var sample in alone.Memory)
                    {
                        Console.WriteLine(sample.Row);
                    }
                    Console.WriteLine();
                    Console.WriteLine($"executable: {RunProcess.Executable}");
                    Console.WriteLine($"store writes over all passes: {alone.StoreWrites:N0}; peak RSS over the process's whole life: {alone.PeakMegabytes:0} MB; exit on SIGTERM: {alone.Exit}");
                    Console.WriteLine($"(a new process reads each pipeline once; the peak includes start-up and the informer's cache of all {steady:N0} specs; " +
                        $"LocalCloud's own peak, in its process: {cloud.PeakMegabytes():0} MB)");
                }
            }
            return 0;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>A composition root with the pipeline controller added, not started; the resync never comes on its own.</summary>
    /// <summary>
    /// <c>controller-rate [specs=1000] [workers=256]</c>: cold convergence with the clients exactly as <c>run</c> builds them
    /// by default (20 requests/s per service, bursts of 40), against its floor: the busiest service's calls ÷ its rate.
    /// </summary>
    public static async Task<int> RunDefaultRateAsync(string[] args, CancellationToken cancellationToken)
    {
        var cold = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000;
        var workers = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 256;
        var website = Sample("website.json");
        var payments = Sample("payments-pipeline.json");
        PulumiPipeline Spec(int i) => Named(i % 100 == 99 ? payments : website, $"s{i:D5}");
        var work = Directory.CreateTempSubdirectory("reconciler-bench-controller-rate-");
        try
        {
            await using var cloud = await LocalCloudProcess.StartAsync([website.Spec.Pulumi.AccessTokenParameter], cancellationToken);
            var loopback = EmbeddedCloud.ClientOptionsFor(cloud.Endpoint);
            // Only where to call and with which key come from the bench; the rest is run's default.
            var clientOptions = new AwsClientOptions { Region = loopback.Region, EndpointUrl = loopback.EndpointUrl, Credentials = loopback.Credentials };
            var clientSettings = DescribeClients(clientOptions);
            using var clients = new AwsClients(clientOptions, null, environment: _ => null);
            await using var store = await SqliteSpecStore.OpenAsync(new SqliteStoreOptions { Path = Path.Combine(work.FullName, "bench.db") }, cancellationToken: cancellationToken);
            var options = new PipelineControllerOptions { Workers = workers, BatchWindow = TimeSpan.FromMilliseconds(50) };
            Console.WriteLine($"controller bench, default rate limit: {Environment.ProcessorCount} cores, {workers} workers, SQLite store, LocalCloud in its own process over HTTP, direct engine; {clientSettings}");
            Console.WriteLine();

            var seconds = await ConvergeColdAsync(store, cloud, clients, options, Enumerable.Range(0, cold).Select(Spec).ToList(), cancellationToken);
            var calls = await cloud.RequestsAsync(cancellationToken);
            var limit = clientOptions.RateLimit;
            var (service, serviceCalls) = calls.GroupBy(c => c.Key.Split('.')[0], StringComparer.Ordinal)
                .Select(g => (Service: g.Key, Calls: g.Sum(c => c.Value)))
                .MaxBy(g => g.Calls);
            var floor = Math.Max(0, serviceCalls - limit.Burst) / limit.PermitsPerSecond;
            Console.WriteLine($"## cold convergence with the default rate limit: {cold:N0} specs × 3 stages ({cold / 100:N0} with a pipeline); {clientSettings}");
            Console.WriteLine();
            Console.WriteLine($"every spec Ready in {seconds:0.00} s; floor {floor:0.0} s = ({serviceCalls:N0} {service} calls − a burst of {limit.Burst}) ÷ {limit.PermitsPerSecond:0}/s; " +
                $"{seconds / floor:0.00}× the floor; {calls.Values.Sum():N0} API calls: {ByOperation(calls)}");
            return 0;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>Creates <paramref name="specs"/>, then starts a controller and times it until every one is Ready; seconds.</summary>
    private static async Task<double> ConvergeColdAsync(ISpecStore store, LocalCloudProcess cloud, AwsClients clients, PipelineControllerOptions options,
        IReadOnlyList<PulumiPipeline> specs, CancellationToken cancellationToken)
    {
        await CreateAsync(store, specs, cancellationToken);
        await cloud.ResetCountersAsync(cancellationToken);
        var clock = Stopwatch.StartNew();
        var (host, controller) = NewController(store, clients, options);
        await using (host)
        {
            await StartAsync(host, cancellationToken);
            await WaitReadyAsync(store, controller, specs.Count, cancellationToken);
            clock.Stop();
            await host.StopAsync(cancellationToken);
        }
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>The client settings a measurement ran with, stated next to its figures.</summary>
    private static string DescribeClients(AwsClientOptions options)
    {
        var limit = options.RateLimit;
        var rate = limit.PermitsPerSecond <= 0 ? "off" : $"{limit.PermitsPerSecond:0}/s per service, bursts of {limit.Burst}";
        return $"clients: rate limit {rate}, up to {options.Retry.MaxRetryAttempts} retries ({options.Retry.BaseDelay.TotalMilliseconds:0} ms to {options.Retry.MaxDelay.TotalSeconds:0} s), " +
            $"circuit breaker {(options.CircuitBreaker.Enabled ? "on" : "off")}";
    }

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

    /// <summary>
    /// The resync period given to <c>run</c>: long enough that its first pass ends before the first periodic resync
    /// begins (about 1.5 ms a spec, 40 s at least; the resync is jittered by 10%), or <c>BENCH_RUN_RESYNC</c> seconds.
    /// </summary>
    private static TimeSpan RunResyncPeriod(int specs) =>
        Environment.GetEnvironmentVariable("BENCH_RUN_RESYNC") is { Length: > 0 } seconds
            ? TimeSpan.FromSeconds(int.Parse(seconds, CultureInfo.InvariantCulture))
            : TimeSpan.FromSeconds(Math.Max(40, specs * 1.5 / 1000));

    private static string Describe(IReadOnlyList<(string Name, string Value)> environment) =>
        environment.Count == 0 ? "the defaults" : string.Join(" ", environment.Select(e => $"{e.Name}={e.Value}"));

    private static async Task<RunAlone> MeasureRunAsync(
        ISpecStore store, LocalCloudProcess cloud, string databasePath, int specs, int workers, int resyncs, IReadOnlyList<(string Name, string Value)> environment, CancellationToken cancellationToken)
    {
        var before = await VersionsAsync(store, cancellationToken);
        await cloud.ResetCountersAsync(cancellationToken);
        var period = RunResyncPeriod(specs);
        var memory = new List<MemorySample>();
        var clock = Stopwatch.StartNew();
        await using var run = await RunProcess.StartAsync(databasePath, cloud.Endpoint, workers, $"{period.TotalSeconds:0}s", environment, cancellationToken);
        memory.Add(await run.SampleMemoryAsync("started (health served)", cancellationToken));
        await run.WaitIdleAsync(specs, cancellationToken);
        var first = new Pass(clock.Elapsed.TotalSeconds, await run.ReconcilesAsync(cancellationToken), await cloud.RequestsAsync(cancellationToken));
        memory.Add(await run.SampleMemoryAsync("after the first pass", cancellationToken));
        await HeapReportAsync(run, "after the first pass", cancellationToken);
        await cloud.ResetCountersAsync(cancellationToken);

        var passes = new List<Pass>();
        var done = first.Reconciles;
        for (var i = 0; i < resyncs; i++)
        {
            await run.WaitBeyondAsync(done, cancellationToken);
            var resync = Stopwatch.StartNew();
            await run.WaitIdleAsync(done + specs, cancellationToken);
            resync.Stop();
            var reconciles = await run.ReconcilesAsync(cancellationToken);
            passes.Add(new Pass(resync.Elapsed.TotalSeconds, reconciles - done, await cloud.RequestsAsync(cancellationToken)));
            done = reconciles;
            await cloud.ResetCountersAsync(cancellationToken);
            memory.Add(await run.SampleMemoryAsync($"after periodic resync {i + 1}", cancellationToken));
        }
        await HeapReportAsync(run, "after the last resync", cancellationToken);
        var peak = run.PeakMegabytes();
        var exit = await run.StopAsync(cancellationToken);
        var after = await VersionsAsync(store, cancellationToken);
        var writes = after.Count(kv => before.GetValueOrDefault(kv.Key) != kv.Value);
        return new RunAlone(period, first, passes, memory, writes, peak, exit);
    }

    /// <summary>With <c>BENCH_GCDUMP=1</c>, the types holding the most of the process's managed heap (<c>dotnet-gcdump report</c>; it forces a full collection).</summary>
    private static async Task HeapReportAsync(RunProcess run, string moment, CancellationToken cancellationToken)
    {
        if (Environment.GetEnvironmentVariable("BENCH_GCDUMP") != "1")
        {
            return;
        }
        var start = new ProcessStartInfo("dotnet-gcdump") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in (string[])["report", "-p", run.ProcessId.ToString(CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(argument);
        }
        using var report = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet-gcdump (dotnet tool install -g dotnet-gcdump)");
        var lines = (await report.StandardOutput.ReadToEndAsync(cancellationToken)).Split('\n');
        await report.WaitForExitAsync(cancellationToken);
        Console.WriteLine($"managed heap {moment} (dotnet-gcdump report, first 30 lines):");
        foreach (var line in lines.Take(30))
        {
            Console.WriteLine("  " + line.TrimEnd());
        }
        Console.WriteLine();
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

    // Listing the store deserializes every document: done only once the controller is idle (the specs were stored
    // before it started, so its first list enqueued them all), not every 200 ms, which at 100,000 specs took a core.
    private static async Task WaitReadyAsync(ISpecStore store, PipelineController controller, int count, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // 10 minutes, or 20 ms a spec (at 10 specs/s a run is broken, not slow): 100,000 specs took 10 minutes and more under load.
        timeout.CancelAfter(TimeSpan.FromMilliseconds(Math.Max(600_000, count * 20.0)));
        while (true)
        {
            await WaitIdleAsync(controller, timeout.Token);
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
            await Task.Delay(TimeSpan.FromMilliseconds(500), timeout.Token);
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

    private sealed record Pass(double Seconds, long Reconciles, IReadOnlyDictionary<string, long> Calls);

    private sealed record RunAlone(
        TimeSpan ResyncPeriod, Pass First, IReadOnlyList<Pass> Resyncs, IReadOnlyList<MemorySample> Memory, int StoreWrites, double PeakMegabytes, int Exit);

    private sealed record Resync(
        double Seconds, long Calls, int StoreWrites, IReadOnlyList<(string Operation, long Count)> ByOperation)
    {
        public string Row(string label) => $"| {label} | {Seconds:0.00} | {Calls:N0} | {StoreWrites:N0} |";
    }
}
