using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Time.Testing;
using Reconciler.Controller.Runtime;
using Reconciler.Controller.Store;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Tests.Runtime;

/// <summary>Issue 11, item 4: the informer tells a re-created object from the old one, and never goes back to an older version.</summary>
public sealed partial class InformerTests
{
    [Fact]
    public async Task An_object_deleted_and_created_again_at_the_same_resource_version_while_the_watch_was_down_replaces_the_old_one()
    {
        var old = await _store.CreateAsync(RuntimeHarness.Document("doc"), default);
        PulumiPipeline? fresh = null;
        var source = new FallsBehindOnce(new SpecStoreObjectSource(_store), async () =>
        {
            await _store.DeleteAsync("doc", null, default);
            fresh = await _store.CreateAsync(RuntimeHarness.Document("doc"), default);
        });
        var handler = new Recorder();
        using var informer = new Informer<PulumiPipeline>(source, new InformerOptions<PulumiPipeline>(), new FakeTimeProvider());
        informer.AddHandler(handler);
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);

        await RuntimeHarness.WaitUntilAsync(() => informer.ListCount == 2, "relisted");
        Assert.Equal(old.Metadata.ResourceVersion, fresh!.Metadata.ResourceVersion);
        Assert.True(informer.TryGet("doc", out var cached));
        Assert.Equal(fresh.Metadata.Uid, cached.Metadata.Uid);
        // The handlers hear of a deletion and an addition, not of an update of one object into another.
        Assert.Equal([$"add {old.Metadata.Uid}", $"delete {old.Metadata.Uid}", $"add {fresh.Metadata.Uid}"], handler.Calls);

        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task An_older_version_delivered_after_a_newer_one_never_replaces_it_and_a_stale_deletion_never_drops_a_new_object()
    {
        var first = await _store.CreateAsync(RuntimeHarness.Document("doc"), default);
        var second = await _store.UpdateStatusAsync("doc", "1", new PipelineStatus { Phase = "Progressing" }, default);
        var someoneElse = first with { Metadata = first.Metadata with { Uid = "an-older-object" } };
        // The watch replays what the list already read past: version 1 of this object, and the deletion of another
        // object of the same name (as a stream resumed from before the list would).
        var source = new ReplaysFirst(new SpecStoreObjectSource(_store),
            new WatchEvent<PulumiPipeline>(WatchEventType.Modified, first, null),
            new WatchEvent<PulumiPipeline>(WatchEventType.Deleted, someoneElse, null));
        var handler = new Recorder();
        using var informer = new Informer<PulumiPipeline>(source, new InformerOptions<PulumiPipeline>(), new FakeTimeProvider());
        informer.AddHandler(handler);
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync(default).WaitAsync(TimeSpan.FromSeconds(30));

        await source.Replayed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await _store.UpdateStatusAsync("doc", second.Metadata.ResourceVersion!, new PipelineStatus { Phase = "Ready" }, default);
        await RuntimeHarness.WaitUntilAsync(() => informer.TryGet("doc", out var d) && d.Status?.Phase == "Ready", "third version cached");

        Assert.Equal([$"add {first.Metadata.Uid}", "update 2 -> 3"], handler.Calls);

        await stop.CancelAsync();
        await run;
    }

    private sealed class Recorder : IInformerHandler<PulumiPipeline>
    {
        private readonly ConcurrentQueue<string> _calls = new();

        public IReadOnlyList<string> Calls => [.. _calls];

        public void OnAdd(PulumiPipeline added) => _calls.Enqueue($"add {added.Metadata.Uid}");

        public void OnUpdate(PulumiPipeline previous, PulumiPipeline current) =>
            _calls.Enqueue($"update {previous.Metadata.ResourceVersion} -> {current.Metadata.ResourceVersion}");

        public void OnDelete(PulumiPipeline deleted) => _calls.Enqueue($"delete {deleted.Metadata.Uid}");

        public void OnResync(PulumiPipeline cached)
        {
        }

        public void OnResyncStarting()
        {
        }
    }

    /// <summary>Fault injection over the real source: the first watch delivers stale events before the real ones.</summary>
    private sealed class ReplaysFirst(IObjectSource<PulumiPipeline> inner, params WatchEvent<PulumiPipeline>[] stale) : IObjectSource<PulumiPipeline>
    {
        public TaskCompletionSource Replayed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Kind => inner.Kind;

        public Task<ListPage<PulumiPipeline>> ListAsync(string? continueToken, int limit, CancellationToken cancellationToken) =>
            inner.ListAsync(continueToken, limit, cancellationToken);

        public async IAsyncEnumerable<WatchEvent<PulumiPipeline>> WatchAsync(string? fromVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            if (!Replayed.Task.IsCompleted)
            {
                foreach (var change in stale)
                {
                    yield return change with { Version = fromVersion };
                }
                Replayed.TrySetResult();
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
