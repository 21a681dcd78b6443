using System.Collections.Concurrent;
using Reconciler.Controller.Runtime;
using Reconciler.Controller.Store;
using Reconciler.Controller.Tests.Runtime;
using Reconciler.Model.Documents;
using static Reconciler.Controller.Tests.SpecStore.TestDocuments;

namespace Reconciler.Controller.Tests.SpecStore;

/// <summary>Issue 11, item 1: a selector scopes the list, the watch, get and so the cache, over each store.</summary>
public abstract partial class SpecStoreContractTests
{
    private static readonly Dictionary<string, string> Web = new() { ["team"] = "web" };
    private static readonly Dictionary<string, string> Payments = new() { ["team"] = "payments" };

    [Fact]
    public async Task A_selector_scopes_list_watch_and_get_and_a_spec_relabelled_out_is_dropped_from_the_cache_untouched()
    {
        var store = await OpenAsync();
        var web = await store.CreateAsync(Pipeline("web-site", Web), Ct);
        await store.CreateAsync(Pipeline("pay-api", Payments), Ct);
        var source = new SpecStoreObjectSource(store, "team=web");
        var seen = new ScopeRecorder();
        using var informer = new Informer<PulumiPipeline>(source, new InformerOptions<PulumiPipeline> { ResyncPeriod = TimeSpan.FromDays(1) });
        informer.AddHandler(seen);
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(["web-site"], informer.Keys());

        // Out of scope from birth, relabelled out, relabelled in: only the last one may reach the cache.
        await store.CreateAsync(Pipeline("pay-db", Payments), Ct);
        var relabelledOut = await store.UpdateAsync(web with { Metadata = web.Metadata with { Labels = Payments } }, Ct);
        var payApi = (await store.GetAsync("pay-api", Ct))!;
        await store.UpdateAsync(payApi with { Metadata = payApi.Metadata with { Labels = Web } }, Ct);
        await RuntimeHarness.WaitUntilAsync(() => informer.Keys().SequenceEqual(["pay-api"]), "web-site dropped and pay-api cached");

        Assert.Null(await source.GetAsync("pay-db", Ct));
        Assert.Null(await source.GetAsync("web-site", Ct));
        Assert.NotNull(await source.GetAsync("pay-api", Ct));
        Assert.DoesNotContain(seen.Cached, name => name == "pay-db");
        Assert.Equal(["web-site"], seen.Dropped);
        // Dropped from the cache only: the document is as its owner left it, not deleted, not marked, no status.
        var kept = await store.GetAsync("web-site", Ct);
        Assert.Equal(relabelledOut.Metadata.ResourceVersion, kept!.Metadata.ResourceVersion);
        Assert.Null(kept.Metadata.DeletionTimestamp);
        Assert.Null(kept.Status);
        var listed = await source.ListAsync(null, 100, Ct);
        Assert.Equal(["pay-api"], listed.Items.Select(d => d.Metadata.Name));

        await stop.CancelAsync();
        await run;
    }

    private sealed class ScopeRecorder : IInformerHandler<PulumiPipeline>
    {
        public ConcurrentQueue<string> Cached { get; } = new();

        public ConcurrentQueue<string> Dropped { get; } = new();

        public void OnAdd(PulumiPipeline added) => Cached.Enqueue(added.Metadata.Name);

        public void OnUpdate(PulumiPipeline previous, PulumiPipeline current) => Cached.Enqueue(current.Metadata.Name);

        public void OnDelete(PulumiPipeline deleted) => Dropped.Enqueue(deleted.Metadata.Name);

        public void OnResync(PulumiPipeline cached)
        {
        }

        public void OnResyncStarting()
        {
        }
    }
}
