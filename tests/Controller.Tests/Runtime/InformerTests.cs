using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Time.Testing;
using Reconciler.Controller.Runtime;
using Reconciler.Controller.Store;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Tests.Runtime;

public sealed partial class InformerTests : IAsyncLifetime
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"informer-{Guid.NewGuid():N}.db");
    private SqliteSpecStore _store = null!;

    public async Task InitializeAsync() =>
        _store = await SqliteSpecStore.OpenAsync(new SqliteStoreOptions { Path = _path, WatchPollInterval = TimeSpan.FromMilliseconds(5) });

    public Task DisposeAsync()
    {
        _store.Dispose();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
        return Task.CompletedTask;
    }

    [Fact]
    public void Only_generation_deletion_and_reconcile_request_changes_pass_the_predicate()
    {
        var meta = new ObjectMeta { Name = "a", Generation = 3, ResourceVersion = "10" };
        Assert.False(ReconcilePredicate.ShouldEnqueue(meta, meta with { ResourceVersion = "11" }));
        Assert.False(ReconcilePredicate.ShouldEnqueue(meta, meta with { Finalizers = [RuntimeAnnotations.Finalizer] }));
        Assert.True(ReconcilePredicate.ShouldEnqueue(meta, meta with { Generation = 4 }));
        Assert.True(ReconcilePredicate.ShouldEnqueue(meta, meta with { DeletionTimestamp = DateTimeOffset.UnixEpoch }));
        var deleting = meta with { DeletionTimestamp = DateTimeOffset.UnixEpoch };
        Assert.False(ReconcilePredicate.ShouldEnqueue(deleting, deleting with { ResourceVersion = "12" }));
        var requested = meta with { Annotations = new Dictionary<string, string> { [RuntimeAnnotations.ReconcileRequest] = "1" } };
        Assert.True(ReconcilePredicate.ShouldEnqueue(meta, requested));
        Assert.False(ReconcilePredicate.ShouldEnqueue(requested, requested with { ResourceVersion = "13" }));
    }

    [Fact]
    public void Annotations_that_matter_pass_the_predicate_without_generation_and_labels_do_not()
    {
        var meta = new ObjectMeta { Name = "a", Generation = 3, ResourceVersion = "10" };
        Assert.False(ReconcilePredicate.ShouldEnqueue(meta, meta with { ResourceVersion = "11", Labels = new Dictionary<string, string> { ["team"] = "web" } }));
        Assert.False(ReconcilePredicate.ShouldEnqueue(meta, meta with { ResourceVersion = "11", Annotations = new Dictionary<string, string> { ["note"] = "x" } }));
        Assert.True(ReconcilePredicate.ShouldEnqueue(meta, meta with { ResourceVersion = "11", Annotations = new Dictionary<string, string> { ["reconciler.io/adopt"] = "true" } }));
        Assert.True(ReconcilePredicate.ShouldEnqueue(meta, meta with { ResourceVersion = "11", Annotations = new Dictionary<string, string> { ["reconciler.io/plaintext-variables"] = "DB_PASS" } }));
    }

    [Fact]
    public async Task Lists_in_pages_then_watches_and_hands_out_copies()
    {
        for (var i = 0; i < 7; i++)
        {
            await _store.CreateAsync(RuntimeHarness.Document($"doc-{i}"), default);
        }
        var handler = new RecordingHandler();
        using var informer = new Informer<PulumiPipeline>(new SpecStoreObjectSource(_store),
            new InformerOptions<PulumiPipeline> { PageSize = 3, Copy = SpecStoreObjectSource.Copy }, new FakeTimeProvider());
        informer.AddHandler(handler);
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync(default).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(informer.HasSynced);
        Assert.Equal(7, informer.Keys().Count);

        var created = await _store.CreateAsync(RuntimeHarness.Document("doc-7"), default);
        await _store.UpdateStatusAsync("doc-7", created.Metadata.ResourceVersion!, new PipelineStatus { Phase = "Ready" }, default);
        await RuntimeHarness.WaitUntilAsync(() => informer.TryGet("doc-7", out var d) && d.Status?.Phase == "Ready");

        Assert.True(informer.TryGet("doc-7", out var first));
        Assert.True(informer.TryGet("doc-7", out var second));
        Assert.NotSame(first, second);
        Assert.Equal(8, handler.Adds.Count);
        Assert.Single(handler.Updates);

        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task A_watch_that_fell_behind_relists_and_reports_what_was_deleted_meanwhile()
    {
        await _store.CreateAsync(RuntimeHarness.Document("stays"), default);
        await _store.CreateAsync(RuntimeHarness.Document("goes"), default);
        var source = new FallsBehindOnce(new SpecStoreObjectSource(_store), async () =>
        {
            await _store.DeleteAsync("goes", null, default);
            await _store.CreateAsync(RuntimeHarness.Document("arrives"), default);
        });
        var handler = new RecordingHandler();
        using var informer = new Informer<PulumiPipeline>(source, new InformerOptions<PulumiPipeline>(), new FakeTimeProvider());
        informer.AddHandler(handler);
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);

        await RuntimeHarness.WaitUntilAsync(() => informer.ListCount == 2 && informer.Keys().Contains("arrives"), "relisted");
        Assert.Equal(["arrives", "stays"], informer.Keys().Order());
        Assert.Equal(["goes"], handler.Deletes);

        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task A_periodic_resync_announces_itself_once_then_redelivers_every_cached_object()
    {
        await _store.CreateAsync(RuntimeHarness.Document("one"), default);
        await _store.CreateAsync(RuntimeHarness.Document("two"), default);
        var time = new FakeTimeProvider();
        var handler = new RecordingHandler();
        using var informer = new Informer<PulumiPipeline>(new SpecStoreObjectSource(_store),
            new InformerOptions<PulumiPipeline> { ResyncPeriod = TimeSpan.FromMinutes(5), ResyncJitter = 0 }, time);
        informer.AddHandler(handler);
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync(default).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Empty(handler.Resyncs);

        time.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(["start", "one", "two"], handler.Resyncs.Take(1).Concat(handler.Resyncs.Skip(1).Order()));
        Assert.Equal(2, informer.ResyncNow());
        Assert.Equal(6, handler.Resyncs.Count);
        Assert.Equal("start", handler.Resyncs.ElementAt(3));

        await stop.CancelAsync();
        await run;
    }

    private sealed class RecordingHandler : IInformerHandler<PulumiPipeline>
    {
        public ConcurrentQueue<string> Resyncs { get; } = new();

        public ConcurrentQueue<string> Adds { get; } = new();
        public ConcurrentQueue<string> Updates { get; } = new();
        public ConcurrentQueue<string> Deletes { get; } = new();

        public void OnAdd(PulumiPipeline added) => Adds.Enqueue(added.Metadata.Name);

        public void OnUpdate(PulumiPipeline previous, PulumiPipeline current) => Updates.Enqueue(current.Metadata.Name);

        public void OnDelete(PulumiPipeline deleted) => Deletes.Enqueue(deleted.Metadata.Name);

        public void OnResync(PulumiPipeline cached) => Resyncs.Enqueue(cached.Metadata.Name);

        public void OnResyncStarting() => Resyncs.Enqueue("start");
    }

    /// <summary>Fault injection over the real source: the first watch changes the store behind the informer's back, then expires.</summary>
    private sealed class FallsBehindOnce(IObjectSource<PulumiPipeline> inner, Func<Task> meanwhile) : IObjectSource<PulumiPipeline>
    {
        private int _watches;

        public string Kind => inner.Kind;

        public Task<ListPage<PulumiPipeline>> ListAsync(string? continueToken, int limit, CancellationToken cancellationToken) =>
            inner.ListAsync(continueToken, limit, cancellationToken);

        public async IAsyncEnumerable<WatchEvent<PulumiPipeline>> WatchAsync(string? fromVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _watches) == 1)
            {
                await meanwhile();
                throw new WatchExpiredException("change log pruned past the bookmark");
            }
            await foreach (var change in inner.WatchAsync(fromVersion, cancellationToken))
            {
                yield return change;
            }
        }

        public Task<PulumiPipeline?> GetAsync(string name, CancellationToken cancellationToken) => inner.GetAsync(name, cancellationToken);

        public Task<PulumiPipeline?> UpdateFinalizersAsync(string name, string resourceVersion, string? uid, IReadOnlyList<string> finalizers, CancellationToken cancellationToken) =>
            inner.UpdateFinalizersAsync(name, resourceVersion, uid, finalizers, cancellationToken);
    }
}
