using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Reconciler.Controller.Aws;
using Reconciler.Controller.Reconciliation;
using Reconciler.Controller.Runtime;
using Reconciler.Controller.Store;
using Reconciler.LocalCloud;
using Reconciler.Model.Documents;
using Reconciler.Model.Validation;
using Reconciler.Tests.Shared;

namespace Reconciler.Bench;

/// <summary>
/// The controller scenario, on the embedded default (SQLite, LocalCloud in-process over HTTP, direct engine):
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
            await using var cloud = await EmbeddedCloud.StartAsync([website.Spec.Pulumi.AccessTokenParameter], cancellationToken: cancellationToken);
            await using var store = await SqliteSpecStore.OpenAsync(new SqliteStoreOptions { Path = Path.Combine(work.FullName, "bench.db") }, cancellationToken: cancellationToken);
            var options = new PipelineControllerOptions { Workers = workers, ResyncPeriod = TimeSpan.FromHours(1), BatchWindow = TimeSpan.FromMilliseconds(50) };
            Console.WriteLine($"controller bench: {Environment.ProcessorCount} cores, {workers} workers, SQLite store, LocalCloud in-process over HTTP, direct engine");
            Console.WriteLine();

            // 1. Cold convergence.
            await CreateAsync(store, Enumerable.Range(0, cold).Select(Spec), cancellationToken);
            cloud.Server.Counters.Reset();
            var clock = Stopwatch.StartNew();
            await using (var controller = NewController(store, cloud, options))
            {
                await controller.StartAsync(cancellationToken);
                await WaitReadyAsync(store, cold, cancellationToken);
                clock.Stop();
                await controller.StopAsync(cancellationToken);
            }
            Console.WriteLine($"## cold convergence: {cold:N0} specs × 3 stages ({cold / 100:N0} with a pipeline)");
            Console.WriteLine();
            Console.WriteLine($"every spec Ready in {clock.Elapsed.TotalSeconds:0.00} s; API calls by operation:");
            PrintCalls(cloud.Server.Counters);

            // 2. Steady-state resync of many specs, after they converged.
            await CreateAsync(store, Enumerable.Range(cold, steady - cold).Select(Spec), cancellationToken);
            await using (var controller = NewController(store, cloud, options))
            {
                var converge = Stopwatch.StartNew();
                await controller.StartAsync(cancellationToken);
                await WaitReadyAsync(store, steady, cancellationToken);
                await WaitIdleAsync(controller, cancellationToken);
                Console.WriteLine($"(converged the other {steady - cold:N0} specs in {converge.Elapsed.TotalSeconds:0.0} s)");
                Console.WriteLine();

                var batched = await MeasureResyncAsync(store, cloud, controller, () => controller.ResyncNow(), cancellationToken);
                await controller.StopAsync(cancellationToken);

                await using var naiveController = NewController(store, cloud, options with { NaiveObserver = true });
                // The naive controller's first list enqueues every spec: the same work as a resync.
                var naive = await MeasureResyncAsync(store, cloud, naiveController, () => naiveController.StartAsync(cancellationToken).GetAwaiter().GetResult(), cancellationToken);
                await naiveController.StopAsync(cancellationToken);

                Console.WriteLine($"## steady-state resync of {steady:N0} specs (no drift)");
                Console.WriteLine();
                Console.WriteLine("| observer | wall time (s) | API calls | store writes | peak working set (MB) |");
                Console.WriteLine("|---|---|---|---|---|");
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
            }
            return 0;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static PipelineController NewController(ISpecStore store, EmbeddedCloud cloud, PipelineControllerOptions options) => new(
        store, new SpecStoreObjectSource(store), cloud.Clients.CodeBuild, cloud.Clients.CodePipeline, cloud.Clients.Ssm,
        options, TimeProvider.System, NullLoggerFactory.Instance);

    private static async Task<Resync> MeasureResyncAsync(ISpecStore store, EmbeddedCloud cloud, PipelineController controller, Action start, CancellationToken cancellationToken)
    {
        var before = await VersionsAsync(store, cancellationToken);
        GC.Collect();
        cloud.Server.Counters.Reset();
        var clock = Stopwatch.StartNew();
        start();
        await WaitIdleAsync(controller, cancellationToken);
        clock.Stop();
        var after = await VersionsAsync(store, cancellationToken);
        var writes = after.Count(kv => before.GetValueOrDefault(kv.Key) != kv.Value);
        var calls = cloud.Server.Counters.Snapshot();
        using var process = Process.GetCurrentProcess();
        return new Resync(clock.Elapsed.TotalSeconds, calls.Values.Sum(c => c.Requests), writes, process.PeakWorkingSet64 / (1024.0 * 1024.0),
            calls.Select(c => (c.Key, c.Value.Requests)).ToList());
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

    private static void PrintCalls(RequestCounters counters)
    {
        var calls = counters.Snapshot();
        Console.WriteLine();
        Console.WriteLine("| operation | calls |");
        Console.WriteLine("|---|---|");
        foreach (var (operation, count) in calls)
        {
            Console.WriteLine($"| {operation} | {count.Requests:N0} |");
        }
        Console.WriteLine($"| total | {calls.Values.Sum(c => c.Requests):N0} |");
        Console.WriteLine();
    }

    private static PulumiPipeline Sample(string file)
    {
        var path = Path.Combine(RepositoryPaths.Root, "samples", "specs", file);
        var result = SpecValidator.Validate(path, File.ReadAllText(path));
        return result.Document ?? throw new InvalidOperationException(string.Join("; ", result.Errors));
    }

    private static PulumiPipeline Named(PulumiPipeline document, string name) => document with { Metadata = document.Metadata with { Name = name } };

    private sealed record Resync(double Seconds, long Calls, int StoreWrites, double PeakMegabytes, IReadOnlyList<(string Operation, long Count)> ByOperation)
    {
        public string Row(string label) => $"| {label} | {Seconds:0.00} | {Calls:N0} | {StoreWrites:N0} | {PeakMegabytes:0} |";
    }
}
