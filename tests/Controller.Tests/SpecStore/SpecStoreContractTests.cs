using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using Reconciler.Controller.Store;
using Reconciler.Model.Documents;
using static Reconciler.Controller.Tests.SpecStore.TestDocuments;

namespace Reconciler.Controller.Tests.SpecStore;

/// <summary>
/// The one contract every <see cref="ISpecStore"/> adapter keeps; each adapter's test class derives from it and
/// says only how to open (and reopen) its store and how to corrupt an item by hand.
/// </summary>
public abstract partial class SpecStoreContractTests : IAsyncLifetime
{
    protected static readonly DateTimeOffset Epoch = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private readonly List<ISpecStore> _opened = [];

    protected static CancellationToken Ct => CancellationToken.None;

    /// <summary>Opens a store over this test's backing data; every call sees the same data (a second call is a restart).</summary>
    protected abstract Task<ISpecStore> OpenBackendAsync(TimeProvider clock);

    /// <summary>Writes an item that is not a readable document straight into the backing data, as a person might by hand.</summary>
    protected abstract Task InjectMalformedAsync(string name);

    protected abstract long MalformedSkipped(ISpecStore store);

    /// <summary>True when a watch version outlives the store process; otherwise resuming must signal a relist.</summary>
    protected abstract bool VersionsSurviveRestart { get; }

    /// <summary>True when changes made between two polls reach the watch as one event per key (a polling watch).</summary>
    protected virtual bool WatchCoalescesBetweenPolls => false;

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var store in _opened.ToList())
        {
            await CloseAsync(store);
        }
    }

    protected async Task<ISpecStore> OpenAsync(TimeProvider? clock = null)
    {
        var store = await OpenBackendAsync(clock ?? TimeProvider.System);
        _opened.Add(store);
        return store;
    }

    protected async Task CloseAsync(ISpecStore store)
    {
        if (_opened.Remove(store) && store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    [Fact]
    public async Task Create_sets_uid_generation_resource_version_and_creation_time_and_drops_status()
    {
        var clock = new FakeTimeProvider(Epoch);
        var store = await OpenAsync(clock);
        var created = await store.CreateAsync(Pipeline("website") with { Status = Status("Ready", 7) }, Ct);

        Assert.True(Guid.TryParse(created.Metadata.Uid, out _));
        Assert.Equal(1, created.Metadata.Generation);
        Assert.Equal("1", created.Metadata.ResourceVersion);
        Assert.Equal(Epoch, created.Metadata.CreationTimestamp);
        Assert.Null(created.Status);
        var read = await store.GetAsync("website", Ct);
        Assert.NotNull(read);
        Assert.Equal(created.Metadata, read.Metadata with { Labels = created.Metadata.Labels });
        Assert.Equal("main", read.Spec.Stages[0].On.Push!.Branch);
        Assert.Null(await store.GetAsync("missing", Ct));
    }

    [Fact]
    public async Task Creating_an_existing_name_is_an_already_exists_error_naming_it()
    {
        var store = await OpenAsync();
        await store.CreateAsync(Pipeline("website"), Ct);
        var error = await Assert.ThrowsAsync<StoreAlreadyExistsException>(() => store.CreateAsync(Pipeline("website"), Ct));
        Assert.Contains("'website'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Documents_read_hold_one_instance_of_a_value_they_share()
    {
        var store = await OpenAsync();
        await store.CreateAsync(Pipeline("share-a"), Ct);
        await store.CreateAsync(Pipeline("share-b"), Ct);

        var page = await store.ListAsync(new ListOptions(), Ct);
        var a = page.Items.Single(d => d.Metadata.Name == "share-a");
        var b = page.Items.Single(d => d.Metadata.Name == "share-b");

        // The informer caches every document: a role ARN repeated in each must be held once.
        Assert.Equal("arn:aws:iam::111122223333:role/pulumi-codebuild", a.Spec.Build.ServiceRoleArn);
        Assert.Same(a.Spec.Build.ServiceRoleArn, b.Spec.Build.ServiceRoleArn);
        Assert.Same(a.Spec.Pulumi.AccessTokenParameter, (await store.GetAsync("share-b", Ct))!.Spec.Pulumi.AccessTokenParameter);
        Assert.NotEqual(a.Spec.Source.Location, b.Spec.Source.Location);
    }

    [Fact]
    public async Task A_stale_resource_version_is_rejected_on_every_kind_of_write()
    {
        var store = await OpenAsync();
        var first = await store.CreateAsync(Pipeline("website"), Ct);
        var second = await store.UpdateAsync(first.WithBranch("trunk"), Ct);
        Assert.Equal("2", second.Metadata.ResourceVersion);

        var conflict = await Assert.ThrowsAsync<StoreConflictException>(() => store.UpdateAsync(first.WithBranch("other"), Ct));
        Assert.Contains("'website'", conflict.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<StoreConflictException>(() => store.UpdateStatusAsync("website", "1", Status("Ready", 1), Ct));
        await Assert.ThrowsAsync<StoreConflictException>(() => store.UpdateFinalizersAsync("website", "1", ["x"], Ct));
        await Assert.ThrowsAsync<StoreConflictException>(() => store.DeleteAsync("website", "1", Ct));
        await Assert.ThrowsAsync<StoreNotFoundException>(() => store.UpdateAsync(Pipeline("missing") with { Metadata = new ObjectMeta { Name = "missing", ResourceVersion = "1" } }, Ct));

        var current = await store.GetAsync("website", Ct);
        Assert.Equal("trunk", current!.Spec.Stages[0].On.Push!.Branch);
        Assert.Equal("2", current.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Generation_moves_only_when_the_spec_changes_and_metadata_changes_move_only_the_resource_version()
    {
        var store = await OpenAsync();
        var doc = await store.CreateAsync(Pipeline("website"), Ct);

        var specChanged = await store.UpdateAsync(doc.WithBranch("trunk"), Ct);
        Assert.Equal((2L, "2"), (specChanged.Metadata.Generation, specChanged.Metadata.ResourceVersion));

        var unchanged = await store.UpdateAsync(specChanged, Ct);
        Assert.Equal((2L, "2"), (unchanged.Metadata.Generation, unchanged.Metadata.ResourceVersion));

        var labelled = await store.UpdateAsync(unchanged with { Metadata = unchanged.Metadata with { Labels = new Dictionary<string, string> { ["team"] = "web" } } }, Ct);
        Assert.Equal((2L, "3"), (labelled.Metadata.Generation, labelled.Metadata.ResourceVersion));

        var annotated = await store.UpdateAsync(labelled with { Metadata = labelled.Metadata with { Annotations = new Dictionary<string, string> { ["note"] = "x" } } }, Ct);
        Assert.Equal((2L, "4"), (annotated.Metadata.Generation, annotated.Metadata.ResourceVersion));

        var finalized = await store.UpdateFinalizersAsync("website", "4", ["reconciler/cleanup"], Ct);
        Assert.Equal((2L, "5"), (finalized!.Metadata.Generation, finalized.Metadata.ResourceVersion));

        // The server owns uid and creation time: an update cannot move them.
        var forged = await store.UpdateAsync(finalized.WithBranch("again") with { Metadata = finalized.Metadata with { Uid = "forged", CreationTimestamp = Epoch } }, Ct);
        Assert.Equal(doc.Metadata.Uid, forged.Metadata.Uid);
        Assert.Equal(doc.Metadata.CreationTimestamp, forged.Metadata.CreationTimestamp);
        Assert.Equal(["reconciler/cleanup"], forged.Metadata.Finalizers);
    }

    [Fact]
    public async Task Status_writes_bump_the_resource_version_but_never_the_generation_and_keep_the_spec()
    {
        var store = await OpenAsync();
        var doc = await store.CreateAsync(Pipeline("website"), Ct);
        var withStatus = await store.UpdateStatusAsync("website", doc.Metadata.ResourceVersion!, Status("Ready", 1), Ct);
        Assert.Equal((1L, "2"), (withStatus.Metadata.Generation, withStatus.Metadata.ResourceVersion));
        Assert.Equal("Ready", withStatus.Status!.Phase);

        var again = await store.UpdateStatusAsync("website", "2", Status("Ready", 1), Ct);
        Assert.Equal("2", again.Metadata.ResourceVersion);

        // An update of the spec keeps the status the controller wrote.
        var updated = await store.UpdateAsync(doc.WithBranch("trunk") with { Metadata = doc.Metadata with { ResourceVersion = "2" } }, Ct);
        Assert.Equal("Ready", updated.Status!.Phase);
        Assert.Equal(2, updated.Metadata.Generation);
        Assert.Equal("Ready", (await store.GetAsync("website", Ct))!.Status!.Phase);
    }

    [Fact]
    public async Task Delete_with_finalizers_marks_the_document_and_removing_the_last_finalizer_removes_it()
    {
        var clock = new FakeTimeProvider(Epoch);
        var store = await OpenAsync(clock);
        var doc = await store.CreateAsync(Pipeline("website") with { Metadata = new ObjectMeta { Name = "website", Finalizers = ["a", "b"] } }, Ct);

        clock.Advance(TimeSpan.FromMinutes(5));
        var marked = await store.DeleteAsync("website", doc.Metadata.ResourceVersion, Ct);
        Assert.NotNull(marked);
        Assert.Equal(Epoch.AddMinutes(5), marked.Metadata.DeletionTimestamp);
        Assert.Equal(1, marked.Metadata.Generation);
        Assert.NotNull(await store.GetAsync("website", Ct));

        var oneLeft = await store.UpdateFinalizersAsync("website", marked.Metadata.ResourceVersion!, ["b"], Ct);
        Assert.Equal(["b"], oneLeft!.Metadata.Finalizers);
        Assert.Equal(marked.Metadata.DeletionTimestamp, oneLeft.Metadata.DeletionTimestamp);

        Assert.Null(await store.UpdateFinalizersAsync("website", oneLeft.Metadata.ResourceVersion!, [], Ct));
        Assert.Null(await store.GetAsync("website", Ct));
        await Assert.ThrowsAsync<StoreNotFoundException>(() => store.DeleteAsync("website", null, Ct));
    }

    [Fact]
    public async Task Delete_without_finalizers_removes_at_once()
    {
        var store = await OpenAsync();
        await store.CreateAsync(Pipeline("website"), Ct);
        Assert.Null(await store.DeleteAsync("website", null, Ct));
        Assert.Null(await store.GetAsync("website", Ct));
        await store.CreateAsync(Pipeline("website"), Ct);
    }

    [Fact]
    public async Task List_pages_with_a_stable_version_and_filters_by_label()
    {
        var store = await OpenAsync();
        for (var i = 0; i < 5; i++)
        {
            await store.CreateAsync(Pipeline($"app-{i}", new Dictionary<string, string> { ["team"] = i % 2 == 0 ? "web" : "data" }), Ct);
        }
        var names = new List<string>();
        var versions = new HashSet<string?>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await store.ListAsync(new ListOptions(Limit: 2, ContinueToken: token), Ct);
            names.AddRange(page.Items.Select(d => d.Metadata.Name));
            versions.Add(page.Version);
            token = page.ContinueToken;
            pages++;
            if (pages == 1)
            {
                // A write between pages must not move the version the pages report.
                await store.UpdateStatusAsync("app-0", "1", Status("Ready", 1), Ct);
            }
        }
        while (token is not null && pages < 10);

        Assert.Equal(3, pages);
        Assert.Equal(["app-0", "app-1", "app-2", "app-3", "app-4"], names.Order());
        Assert.Single(versions);
        var web = await store.ListAsync(new ListOptions(LabelSelector: "team=web"), Ct);
        Assert.Equal(["app-0", "app-2", "app-4"], web.Items.Select(d => d.Metadata.Name).Order());
        var notWeb = await store.ListAsync(new ListOptions(LabelSelector: "team!=web"), Ct);
        Assert.Equal(["app-1", "app-3"], notWeb.Items.Select(d => d.Metadata.Name).Order());
    }

    [Fact]
    public async Task Watch_from_a_list_version_delivers_every_change_in_order_per_key()
    {
        var store = await OpenAsync();
        await store.CreateAsync(Pipeline("listed"), Ct);
        var page = await store.ListAsync(new ListOptions(), Ct);
        await using var watch = new WatchCollector(store, page.Version);

        // A polling watch folds changes between two polls into one; to see each one it must see them one by one.
        async Task<PulumiPipeline?> Step(string name, Task<PulumiPipeline?> write)
        {
            var written = await write;
            if (WatchCoalescesBetweenPolls)
            {
                await watch.WaitForAsync(e => e.Object.Metadata.Name == name
                    && (written is null ? e.Type == WatchEventType.Deleted : e.Object.Metadata.ResourceVersion == written.Metadata.ResourceVersion));
            }
            return written;
        }
        async Task<PulumiPipeline?> AsNullable(Task<PulumiPipeline> write) => await write;

        var a = (await Step("a", AsNullable(store.CreateAsync(Pipeline("a"), Ct))))!;
        var b = (await Step("b", AsNullable(store.CreateAsync(Pipeline("b"), Ct))))!;
        a = (await Step("a", AsNullable(store.UpdateAsync(a.WithBranch("trunk"), Ct))))!;
        await Step("b", AsNullable(store.UpdateStatusAsync("b", b.Metadata.ResourceVersion!, Status("Ready", 1), Ct)));
        await Step("a", AsNullable(store.UpdateStatusAsync("a", a.Metadata.ResourceVersion!, Status("Ready", 2), Ct)));
        await Step("b", store.DeleteAsync("b", null, Ct));
        await Step("a", store.DeleteAsync("a", null, Ct));

        if (!watch.Seen.Any(e => e.Type == WatchEventType.Deleted && e.Object.Metadata.Name == "a"))
        {
            await watch.WaitForAsync(e => e.Type == WatchEventType.Deleted && e.Object.Metadata.Name == "a");
        }
        foreach (var (name, writes) in new[] { ("a", 3L), ("b", 2L) })
        {
            var changes = watch.Seen.Where(e => e.Object.Metadata.Name == name).ToList();
            Assert.Equal(WatchEventType.Added, changes[0].Type);
            Assert.Equal(WatchEventType.Deleted, changes[^1].Type);
            Assert.All(changes[1..^1], e => Assert.Equal(WatchEventType.Modified, e.Type));
            var versions = changes.Where(e => e.Type != WatchEventType.Deleted).Select(e => long.Parse(e.Object.Metadata.ResourceVersion!, CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(versions.Order(), versions);
            Assert.Equal(writes, versions[^1]);
        }
        Assert.DoesNotContain(watch.Seen, e => e.Object.Metadata.Name == "listed");
        Assert.Equal("trunk", watch.Seen.Last(e => e.Object.Metadata.Name == "a" && e.Type == WatchEventType.Modified).Object.Spec.Stages[0].On.Push!.Branch);
    }

    [Fact]
    public async Task A_watch_resumes_after_the_store_restarts_without_losing_a_change()
    {
        var first = await OpenAsync();
        var page = await first.ListAsync(new ListOptions(), Ct);
        string resumeFrom;
        await using (var watch = new WatchCollector(first, page.Version))
        {
            await first.CreateAsync(Pipeline("before"), Ct);
            resumeFrom = (await watch.WaitForAsync(e => e.Object.Metadata.Name == "before")).Version!;
        }
        await CloseAsync(first);

        // Written while no watcher runs, by another store instance (as another process would).
        var writer = await OpenAsync();
        var down = await writer.CreateAsync(Pipeline("while-down"), Ct);
        await writer.UpdateAsync(down.WithBranch("trunk"), Ct);
        await CloseAsync(writer);

        var reopened = await OpenAsync();
        if (VersionsSurviveRestart)
        {
            await using var resumed = new WatchCollector(reopened, resumeFrom);
            var seen = await resumed.WaitForAsync(e => e.Object.Metadata.Name == "while-down" && e.Type == WatchEventType.Modified);
            Assert.Equal("2", seen.Object.Metadata.ResourceVersion);
            Assert.DoesNotContain(resumed.Seen, e => e.Object.Metadata.Name == "before");
        }
        else
        {
            // The store cannot resume this version: it says so, and a relist then a watch from the list heals it.
            await using (var stale = new WatchCollector(reopened, resumeFrom))
            {
                await Assert.ThrowsAsync<WatchExpiredException>(() => stale.WaitForAsync(_ => true));
            }
            var relist = await reopened.ListAsync(new ListOptions(), Ct);
            Assert.Equal("2", relist.Items.Single(d => d.Metadata.Name == "while-down").Metadata.ResourceVersion);
            await using var resumed = new WatchCollector(reopened, relist.Version);
            await reopened.DeleteAsync("while-down", null, Ct);
            await resumed.WaitForAsync(e => e.Object.Metadata.Name == "while-down" && e.Type == WatchEventType.Deleted);
        }
    }

    [Fact]
    public async Task Ten_writers_of_a_hundred_updates_on_one_key_lose_no_update()
    {
        const int writers = 10, updates = 100;
        var store = await OpenAsync();
        await store.CreateAsync(Pipeline("hot"), Ct);
        var successes = 0;
        await Task.WhenAll(Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
        {
            for (var i = 1; i <= updates; i++)
            {
                while (true)
                {
                    var current = (await store.GetAsync("hot", Ct))!;
                    var annotations = new Dictionary<string, string>(current.Metadata.Annotations ?? new Dictionary<string, string>())
                    {
                        [$"writer-{writer}"] = i.ToString(CultureInfo.InvariantCulture),
                    };
                    try
                    {
                        await store.UpdateAsync(current with { Metadata = current.Metadata with { Annotations = annotations } }, Ct);
                        Interlocked.Increment(ref successes);
                        break;
                    }
                    catch (StoreConflictException)
                    {
                        // Someone else won this round: read again and retry at once.
                    }
                }
            }
        })));

        var final = (await store.GetAsync("hot", Ct))!;
        Assert.Equal(writers * updates, successes);
        Assert.Equal((1 + successes).ToString(CultureInfo.InvariantCulture), final.Metadata.ResourceVersion);
        // Annotation writes are new resource versions of the same generation: only a spec change moves it.
        Assert.Equal(1, final.Metadata.Generation);
        Assert.All(Enumerable.Range(0, writers), w => Assert.Equal("100", final.Metadata.Annotations![$"writer-{w}"]));
    }

    [Fact]
    public async Task A_malformed_item_put_in_by_hand_is_reported_and_skipped_and_the_watch_goes_on()
    {
        var store = await OpenAsync();
        await store.CreateAsync(Pipeline("good-before"), Ct);
        var page = await store.ListAsync(new ListOptions(), Ct);
        await using var watch = new WatchCollector(store, page.Version);

        await InjectMalformedAsync("broken");
        await store.CreateAsync(Pipeline("good-after"), Ct);

        await watch.WaitForAsync(e => e.Object.Metadata.Name == "good-after");
        Assert.DoesNotContain(watch.Seen, e => e.Object.Metadata.Name == "broken");
        Assert.True(MalformedSkipped(store) >= 1);
        var listed = await store.ListAsync(new ListOptions(), Ct);
        Assert.Equal(["good-after", "good-before"], listed.Items.Select(d => d.Metadata.Name).Order());
        var error = await Assert.ThrowsAsync<StoreInvalidDocumentException>(() => store.GetAsync("broken", Ct));
        Assert.Contains("'broken'", error.Message, StringComparison.Ordinal);
    }
}
