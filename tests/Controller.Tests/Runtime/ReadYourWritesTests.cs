using Microsoft.Extensions.Time.Testing;
using Reconciler.Controller.Runtime;
using Reconciler.Controller.Store;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Tests.Runtime;

/// <summary>
/// The runtime's one compensation for the informer lagging behind our own writes: <see cref="Informer{T}.GetLatestAsync"/>
/// after <see cref="Informer{T}.RecordWrite"/>. A real SQLite store; the lag is made by stopping the informer, which
/// freezes its cache as a slow watch would.
/// </summary>
public sealed class ReadYourWritesTests : IAsyncLifetime
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"read-your-writes-{Guid.NewGuid():N}.db");
    private SqliteSpecStore _store = null!;
    private Informer<PulumiPipeline> _informer = null!;
    private CancellationTokenSource _stop = new();
    private Task _run = Task.CompletedTask;

    public async Task InitializeAsync()
    {
        _store = await SqliteSpecStore.OpenAsync(new SqliteStoreOptions { Path = _path, WatchPollInterval = TimeSpan.FromMilliseconds(5) });
        _informer = new Informer<PulumiPipeline>(new SpecStoreObjectSource(_store),
            new InformerOptions<PulumiPipeline> { Copy = SpecStoreObjectSource.Copy }, new FakeTimeProvider());
    }

    public async Task DisposeAsync()
    {
        await FreezeAsync();
        _informer.Dispose();
        _stop.Dispose();
        _store.Dispose();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
    }

    private async Task RunUntilCachedAsync(string name, string resourceVersion)
    {
        var delivered = new Delivered(name, resourceVersion);
        _informer.AddHandler(delivered);
        _stop = new CancellationTokenSource();
        _run = Task.Run(() => _informer.RunAsync(_stop.Token));
        await delivered.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Stops the informer: its cache no longer follows the store, as when the watch has not delivered yet.</summary>
    private async Task FreezeAsync()
    {
        await _stop.CancelAsync();
        await _run;
    }

    private static PipelineStatus Ready(string message) => new()
    {
        Phase = "Ready",
        ObservedGeneration = 1,
        Conditions = [new Condition { Type = ConditionTypes.Ready, Status = ConditionStatus.True, Reason = "Converged", Message = message }],
    };

    [Fact]
    public async Task Reads_go_past_a_cached_copy_older_than_our_own_write_until_the_informer_delivers_it()
    {
        var created = await _store.CreateAsync(RuntimeHarness.Document("lagging"), CancellationToken.None);
        await RunUntilCachedAsync("lagging", created.Metadata.ResourceVersion!);
        await FreezeAsync();

        var written = await new SpecStoreObjectSource(_store).StatusWriter(_informer).WriteAsync(created, Ready("in sync"), CancellationToken.None);

        // The cache is behind; twice, the read answers our write, not the stale copy.
        Assert.True(_informer.TryGet("lagging", out var stale));
        Assert.Null(stale.Status);
        var first = await _informer.GetLatestAsync("lagging", CancellationToken.None);
        var second = await _informer.GetLatestAsync("lagging", CancellationToken.None);
        Assert.Equal(written.Metadata.ResourceVersion, first!.Metadata.ResourceVersion);
        Assert.Equal(written.Metadata.ResourceVersion, second!.Metadata.ResourceVersion);
        Assert.Equal("in sync", second.Status!.Conditions.Single().Message);

        // Once the watch delivered it the mark is gone: a later write by someone else, not yet delivered, is not read
        // past (the cache is the source of truth again, at no store read per reconcile).
        await RunUntilCachedAsync("lagging", written.Metadata.ResourceVersion!);
        await FreezeAsync();
        await _store.UpdateStatusAsync("lagging", written.Metadata.ResourceVersion!, Ready("someone else"), CancellationToken.None);
        var cached = await _informer.GetLatestAsync("lagging", CancellationToken.None);
        Assert.Equal(written.Metadata.ResourceVersion, cached!.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task A_later_write_by_another_that_the_cache_already_holds_ends_the_read_past()
    {
        var created = await _store.CreateAsync(RuntimeHarness.Document("overtaken"), CancellationToken.None);
        await RunUntilCachedAsync("overtaken", created.Metadata.ResourceVersion!);
        await FreezeAsync();

        // Our write, then another's on top of it; the informer sees only the other (as a coalescing watch may).
        var ours = await new SpecStoreObjectSource(_store).StatusWriter(_informer).WriteAsync(created, Ready("ours"), CancellationToken.None);
        var theirs = await _store.UpdateStatusAsync("overtaken", ours.Metadata.ResourceVersion!, Ready("theirs"), CancellationToken.None);
        await RunUntilCachedAsync("overtaken", theirs.Metadata.ResourceVersion!);
        await FreezeAsync();
        Assert.Equal("theirs", (await _informer.GetLatestAsync("overtaken", CancellationToken.None))!.Status!.Conditions.Single().Message);

        // The mark is gone: a third write, not delivered, is not read past.
        await _store.UpdateStatusAsync("overtaken", theirs.Metadata.ResourceVersion!, Ready("third"), CancellationToken.None);
        Assert.Equal("theirs", (await _informer.GetLatestAsync("overtaken", CancellationToken.None))!.Status!.Conditions.Single().Message);
    }

    /// <summary>Completes when the informer delivers <c>name</c> at <c>resourceVersion</c>.</summary>
    private sealed class Delivered(string name, string resourceVersion) : IInformerHandler<PulumiPipeline>
    {
        private readonly TaskCompletionSource _seen = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Task => _seen.Task;

        public void OnAdd(PulumiPipeline added) => Check(added);

        public void OnUpdate(PulumiPipeline previous, PulumiPipeline current) => Check(current);

        public void OnDelete(PulumiPipeline deleted)
        {
        }

        public void OnResync(PulumiPipeline cached)
        {
        }

        private void Check(PulumiPipeline item)
        {
            if (item.Metadata.Name == name && item.Metadata.ResourceVersion == resourceVersion)
            {
                _seen.TrySetResult();
            }
        }
    }
}
