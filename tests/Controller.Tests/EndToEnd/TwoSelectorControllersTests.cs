using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using Reconciler.Controller.Hosting;
using Reconciler.Controller.Reconciliation;
using Reconciler.Controller.Runtime;
using Reconciler.Controller.Store;
using Reconciler.Controller.Telemetry;
using Reconciler.Controller.Tests.Dynalite;
using Reconciler.Controller.Tests.Tracing;
using Reconciler.Model.Documents;
using static Reconciler.Controller.Tests.EndToEnd.ControllerHarness;
using static Reconciler.Controller.Tests.Runtime.RuntimeHarness;

namespace Reconciler.Controller.Tests.EndToEnd;

/// <summary>
/// Issue 11, item 1, end to end: two controllers with different selectors (<c>team=a</c>, <c>team=b</c>) run at the
/// same time on one store and one LocalCloud. Each converges only its own specs, a spec relabelled from one to the
/// other is handed over without anything being deleted, and with shards their leases live in separate scopes.
/// </summary>
public abstract class TwoSelectorControllersTests(StoreKind kind, DynaliteServer? dynalite)
{
    private const string TeamA = "team=a";
    private const string TeamB = "team=b";

    /// <param name="shards">0: no leases; otherwise each controller holds shard leases in the scope of its selector.</param>
    protected async Task Each_controller_converges_only_its_own_team_and_a_relabelled_spec_is_handed_over(int shards)
    {
        await using var harness = await ControllerHarness.StartAsync(kind, dynalite);
        // The harness's own controller has no selector: it would take every spec, so only the two below run.
        await harness.StopAsync();
        ILeaseStore? leaseTable = shards == 0 ? null : await harness.OpenLeaseTableAsync();
        await using var a = await SelectorController.StartAsync(harness, TeamA, leaseTable, shards);
        await using var b = await SelectorController.StartAsync(harness, TeamB, leaseTable, shards);
        if (leaseTable is not null)
        {
            // Every shard held before the first spec, so no later acquisition enqueues (and counts) a reconcile.
            await WaitUntilAsync(() => a.Leases!.HeldShards.Count == shards && b.Leases!.HeldShards.Count == shards, "each controller to hold every shard of its scope");
        }

        // Team a's specs first: A converges them, B has nothing in its cache and reconciles nothing.
        await harness.CreateAsync(Labelled("a-one", "a"));
        await harness.CreateAsync(Labelled("a-two", "a"));
        await harness.WaitForReadyAsync("a-one");
        await harness.WaitForReadyAsync("a-two");
        await a.WaitForIdleAsync();
        await b.WaitForIdleAsync();
        Assert.True(a.Applies >= 2, $"A applied {a.Applies} times for two new specs");
        var aApplies = a.Applies;
        var aReconciles = a.Reconciles;
        Assert.Equal(0, b.Applies);
        Assert.Equal(0, b.Reconciles);

        // Then team b's, and one of a team neither controller selects.
        await harness.CreateAsync(Labelled("b-one", "b"));
        await harness.CreateAsync(Labelled("c-one", "c"));
        await harness.WaitForReadyAsync("b-one");
        await a.WaitForIdleAsync();
        await b.WaitForIdleAsync();
        Assert.True(b.Applies >= 1, $"B applied {b.Applies} times for its new spec");
        Assert.Equal(aApplies, a.Applies);
        Assert.Equal(aReconciles, a.Reconciles);
        Assert.Equal(["a-one", "a-two"], a.CachedNames);
        Assert.Equal(["b-one"], b.CachedNames);
        Assert.All(a.Seen, name => Assert.StartsWith("a-", name, StringComparison.Ordinal));
        Assert.Equal(["b-one"], b.Seen.Distinct().ToList());
        var untouched = (await harness.Store.GetAsync("c-one", CancellationToken.None))!;
        Assert.Null(untouched.Status);
        Assert.Empty(untouched.Metadata.Finalizers ?? []);
        Assert.DoesNotContain(harness.Cloud.Server.State.ProjectNames, p => p.StartsWith("c-one-", StringComparison.Ordinal));

        // Relabel a-one to team b: A drops it from its cache without finalizing it, B takes it on.
        var before = (await harness.Store.GetAsync("a-one", CancellationToken.None))!;
        var bReconciles = b.Reconciles;
        await harness.UpdateAsync("a-one", d => d with { Metadata = d.Metadata with { Labels = new Dictionary<string, string> { ["team"] = "b" } } });
        await WaitUntilAsync(() => b.Holds("a-one") && !a.Holds("a-one") && b.Reconciles > bReconciles, "B to reconcile a-one after the relabel and A to drop it");
        await a.WaitForIdleAsync();
        await b.WaitForIdleAsync();
        var handedOver = (await harness.Store.GetAsync("a-one", CancellationToken.None))!;
        Assert.Null(handedOver.Metadata.DeletionTimestamp);
        Assert.Contains(RuntimeAnnotations.Finalizer, handedOver.Metadata.Finalizers ?? []);
        Assert.Equal(before.Metadata.Uid, handedOver.Metadata.Uid);
        Assert.True(IsReady(handedOver));
        Assert.Equal(before.Metadata.Generation, handedOver.Status!.ObservedGeneration);
        Assert.Contains("a-one", a.Dropped);
        Assert.Equal(aReconciles, a.Reconciles);
        Assert.Equal(["a-two"], a.CachedNames);
        Assert.Equal(["a-one", "b-one"], b.CachedNames);
        Assert.Equal(["a-one-preview", "a-one-production", "a-one-staging"],
            harness.Cloud.Server.State.ProjectNames.Where(p => p.StartsWith("a-one-", StringComparison.Ordinal)).Order(StringComparer.Ordinal));

        // B now converges a-one's changes; A, which no longer selects it, never applies them.
        var bApplies = b.Applies;
        var changed = await harness.UpdateAsync("a-one", d => d with
        {
            Spec = d.Spec with { Stages = d.Spec.Stages.Select(s => s.Name == "staging" ? s with { Stack = "acme/website/qa" } : s).ToList() },
        });
        await harness.WaitForReadyAsync("a-one", changed.Metadata.Generation);
        await a.WaitForIdleAsync();
        await b.WaitForIdleAsync();
        Assert.Contains("acme/website/qa", (string)harness.Cloud.Server.State.GetProject("a-one-staging")!["source"]!["buildspec"]!, StringComparison.Ordinal);
        Assert.True(b.Applies > bApplies, "B never applied a-one's change");
        Assert.Equal(aApplies, a.Applies);
        Assert.Equal(aReconciles, a.Reconciles);
        Assert.False(harness.Cloud.Server.Counters.Snapshot().TryGetValue("CodeBuild.DeleteProject", out var deletes) && deletes.Requests > 0,
            "a project was deleted");

        if (leaseTable is not null)
        {
            // Alone in its scope, each controller holds every shard of it; no unscoped row was written.
            Assert.Equal(Enumerable.Range(0, shards), a.Leases!.HeldShards.Order());
            Assert.Equal(Enumerable.Range(0, shards), b.Leases!.HeldShards.Order());
            var rows = (await leaseTable.ListAsync(CancellationToken.None)).Select(r => r.Name).ToList();
            foreach (var shard in Enumerable.Range(0, shards).Select(LeaseCoordinator.ShardName))
            {
                Assert.Contains($"scope/selector=team=a/{shard}", rows);
                Assert.Contains($"scope/selector=team=b/{shard}", rows);
                Assert.DoesNotContain(shard, rows);
            }
        }
    }

    private static PulumiPipeline Labelled(string name, string team)
    {
        var document = Named(Sample("website.json"), name);
        return document with { Metadata = document.Metadata with { Labels = new Dictionary<string, string> { ["team"] = team } } };
    }

    /// <summary>
    /// One controller with a selector in its own host on the harness's store and cloud, with its own meters (so its
    /// reconciles and applies are counted apart from the other's) and a record of what its cache handed out.
    /// </summary>
    private sealed class SelectorController : IAsyncDisposable, IInformerHandler<PulumiPipeline>, IMeterFactory
    {
        private readonly MetricRecorder _recorder;
        private readonly RuntimeMetrics _runtimeMetrics;
        private readonly PipelineMetrics _pipelineMetrics;
        private readonly ConcurrentQueue<string> _seen = new();
        private readonly ConcurrentQueue<string> _dropped = new();
        private ReconcilerHost _host = null!;
        private PipelineController _controller = null!;

        private SelectorController()
        {
            _recorder = new MetricRecorder(m => ReferenceEquals(m.Scope, this));
            _runtimeMetrics = new RuntimeMetrics(this);
            _pipelineMetrics = new PipelineMetrics(this);
        }

        public static async Task<SelectorController> StartAsync(ControllerHarness harness, string selector, ILeaseStore? leaseTable, int shards)
        {
            var controller = new SelectorController();
            var leases = leaseTable is null
                ? null
                : new LeaseCoordinator(new ScopedLeaseStore(leaseTable, ScopedLeaseStore.ScopeOf(null, selector)!), $"replica-{selector}",
                    new LeaseOptions { Shards = shards }, TimeProvider.System);
            controller._host = new ReconcilerHost(harness.Store, harness.Cloud.Clients.Services, harness.HostOptions with { Selector = selector },
                TimeProvider.System, NullLoggerFactory.Instance, leases);
            controller._controller = new PipelineController(controller._host, harness.Options, controller._pipelineMetrics, controller._runtimeMetrics);
            controller._host.Add(controller._controller);
            controller._host.Cache.AddHandler(controller);
            await controller._host.StartAsync(CancellationToken.None);
            await controller._host.WaitForCacheSyncAsync(CancellationToken.None);
            return controller;
        }

        public LeaseCoordinator? Leases => _host.Leases;

        /// <summary>Every name its cache handed to handlers (adds, updates, resyncs).</summary>
        public IReadOnlyCollection<string> Seen => _seen;

        /// <summary>Names its cache dropped (deleted, or relabelled out of its selector).</summary>
        public IReadOnlyCollection<string> Dropped => _dropped;

        public IReadOnlyList<string> CachedNames => [.. _host.Cache.Keys().Order(StringComparer.Ordinal)];

        public double Reconciles => _recorder.Sum("controller_runtime_reconcile_total");

        public double Applies => _recorder.Sum("reconciler_apply_total");

        public bool Holds(string name) => _host.Cache.TryGet(name, out _);

        public Task WaitForIdleAsync()
        {
            var queue = _controller.Controller.Queue;
            return WaitUntilAsync(() => queue.Count == 0 && queue.DelayedCount == 0 && queue.Processing().Count == 0, "the controller to become idle");
        }

        public void OnAdd(PulumiPipeline added) => _seen.Enqueue(added.Metadata.Name);

        public void OnUpdate(PulumiPipeline previous, PulumiPipeline current) => _seen.Enqueue(current.Metadata.Name);

        public void OnDelete(PulumiPipeline deleted) => _dropped.Enqueue(deleted.Metadata.Name);

        public void OnResync(PulumiPipeline cached) => _seen.Enqueue(cached.Metadata.Name);

        public Meter Create(MeterOptions options) => new(options.Name, options.Version, options.Tags, scope: this);

        public async ValueTask DisposeAsync()
        {
            // The host disposes its runnables (the controller) and its lease coordinator.
            await _host.DisposeAsync();
            _runtimeMetrics.Dispose();
            _pipelineMetrics.Dispose();
            _recorder.Dispose();
        }

        void IDisposable.Dispose()
        {
        }
    }
}

public sealed class SqliteTwoSelectorControllersTests() : TwoSelectorControllersTests(StoreKind.Sqlite, null)
{
    [Fact]
    public Task Without_shards() => Each_controller_converges_only_its_own_team_and_a_relabelled_spec_is_handed_over(shards: 0);

    [Fact]
    public Task With_shard_leases_scoped_by_selector() => Each_controller_converges_only_its_own_team_and_a_relabelled_spec_is_handed_over(shards: 2);
}

[Collection(DynaliteCollection.Name)]
public sealed class DynamoDbTwoSelectorControllersTests(DynaliteServer dynalite) : TwoSelectorControllersTests(StoreKind.DynamoDb, dynalite)
{
    [Fact]
    public Task Without_shards() => Each_controller_converges_only_its_own_team_and_a_relabelled_spec_is_handed_over(shards: 0);

    [Fact]
    public Task With_shard_leases_scoped_by_selector() => Each_controller_converges_only_its_own_team_and_a_relabelled_spec_is_handed_over(shards: 2);
}
