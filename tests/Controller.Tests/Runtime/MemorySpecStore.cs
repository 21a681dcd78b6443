using System.Runtime.CompilerServices;
using System.Text.Json;
using Reconciler.Controller.Store;
using Reconciler.Model.Documents;
using Reconciler.Model.Serialization;

namespace Reconciler.Controller.Tests.Runtime;

/// <summary>
/// A stand-in for the spec store with its documented semantics (generation, resourceVersion, finalizers, ordered
/// change log), used until the store's SQLite adapter lands on main; the runtime tests then move to the real store.
/// </summary>
internal sealed class MemorySpecStore(TimeProvider time) : ISpecStore
{
    private readonly Lock gate = new();
    private readonly SortedDictionary<string, PulumiPipeline> items = new(StringComparer.Ordinal);
    private readonly List<WatchEvent> log = [];
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long version;

    public int StatusWrites { get; private set; }

    public Task<PulumiPipeline> CreateAsync(PulumiPipeline document, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            var name = document.Metadata.Name;
            if (items.ContainsKey(name))
            {
                throw new StoreAlreadyExistsException($"{name} already exists");
            }
            var stored = document with
            {
                Metadata = document.Metadata with
                {
                    Uid = Guid.NewGuid().ToString(),
                    Generation = 1,
                    ResourceVersion = Next(),
                    CreationTimestamp = time.GetUtcNow(),
                    DeletionTimestamp = null,
                },
            };
            return Task.FromResult(Commit(WatchEventType.Added, stored));
        }
    }

    public Task<PulumiPipeline?> GetAsync(string name, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return Task.FromResult(items.GetValueOrDefault(name));
        }
    }

    public Task<SpecPage> ListAsync(ListOptions options, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            var after = options.ContinueToken;
            var page = items.Values.Where(i => after is null || string.CompareOrdinal(i.Metadata.Name, after) > 0).Take(options.Limit + 1).ToList();
            var more = page.Count > options.Limit;
            page = page.Take(options.Limit).ToList();
            return Task.FromResult(new SpecPage(page, more ? page[^1].Metadata.Name : null, version.ToString()));
        }
    }

    public Task<PulumiPipeline> UpdateAsync(PulumiPipeline document, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            var current = Current(document.Metadata.Name, document.Metadata.ResourceVersion);
            var changedSpec = Json(document.Spec, ModelJsonContext.Default.PipelineSpec) != Json(current.Spec, ModelJsonContext.Default.PipelineSpec)
                || Json(document.Metadata with { ResourceVersion = null, Generation = 0 }) != Json(current.Metadata with { ResourceVersion = null, Generation = 0 });
            var stored = current with
            {
                Spec = document.Spec,
                Metadata = current.Metadata with
                {
                    Labels = document.Metadata.Labels,
                    Annotations = document.Metadata.Annotations,
                    Generation = current.Metadata.Generation + (changedSpec ? 1 : 0),
                    ResourceVersion = Next(),
                },
            };
            return Task.FromResult(Commit(WatchEventType.Modified, stored));
        }
    }

    public Task<PulumiPipeline> UpdateStatusAsync(string name, string resourceVersion, PipelineStatus status, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            var current = Current(name, resourceVersion);
            StatusWrites++;
            var stored = current with { Status = status, Metadata = current.Metadata with { ResourceVersion = Next() } };
            return Task.FromResult(Commit(WatchEventType.Modified, stored));
        }
    }

    public Task<PulumiPipeline?> UpdateFinalizersAsync(string name, string resourceVersion, IReadOnlyList<string> finalizers, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            var current = Current(name, resourceVersion);
            var stored = current with { Metadata = current.Metadata with { Finalizers = [.. finalizers], ResourceVersion = Next() } };
            if (finalizers.Count == 0 && current.Metadata.DeletionTimestamp is not null)
            {
                items.Remove(name);
                Commit(WatchEventType.Deleted, stored);
                return Task.FromResult<PulumiPipeline?>(null);
            }
            return Task.FromResult<PulumiPipeline?>(Commit(WatchEventType.Modified, stored));
        }
    }

    public Task<PulumiPipeline?> DeleteAsync(string name, string? resourceVersion, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            var current = Current(name, resourceVersion);
            if (current.Metadata.Finalizers is { Count: > 0 })
            {
                if (current.Metadata.DeletionTimestamp is not null)
                {
                    return Task.FromResult<PulumiPipeline?>(current);
                }
                var marked = current with { Metadata = current.Metadata with { DeletionTimestamp = time.GetUtcNow(), ResourceVersion = Next() } };
                return Task.FromResult<PulumiPipeline?>(Commit(WatchEventType.Modified, marked));
            }
            items.Remove(name);
            Commit(WatchEventType.Deleted, current with { Metadata = current.Metadata with { ResourceVersion = Next() } });
            return Task.FromResult<PulumiPipeline?>(null);
        }
    }

    public async IAsyncEnumerable<WatchEvent> WatchAsync(string? fromVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var from = long.Parse(fromVersion ?? "0");
        while (true)
        {
            List<WatchEvent> pending;
            Task wait;
            lock (gate)
            {
                pending = log.Where(e => long.Parse(e.Version!) > from).ToList();
                wait = changed.Task;
            }
            foreach (var change in pending)
            {
                from = long.Parse(change.Version!);
                yield return change;
            }
            if (pending.Count == 0)
            {
                await wait.WaitAsync(cancellationToken);
            }
        }
    }

    private PulumiPipeline Current(string name, string? resourceVersion)
    {
        if (!items.TryGetValue(name, out var current))
        {
            throw new StoreNotFoundException($"{name} not found");
        }
        if (resourceVersion is not null && resourceVersion != current.Metadata.ResourceVersion)
        {
            throw new StoreConflictException($"{name}: resourceVersion {resourceVersion} is stale (now {current.Metadata.ResourceVersion})");
        }
        return current;
    }

    private string Next() => (++version).ToString();

    private PulumiPipeline Commit(WatchEventType type, PulumiPipeline stored)
    {
        if (type != WatchEventType.Deleted)
        {
            items[stored.Metadata.Name] = stored;
        }
        log.Add(new WatchEvent(type, stored, stored.Metadata.ResourceVersion));
        var signal = changed;
        changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        signal.TrySetResult();
        return stored;
    }

    private static string Json<TValue>(TValue value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<TValue> info) => JsonSerializer.Serialize(value, info);

    private static string Json(ObjectMeta meta) => JsonSerializer.Serialize(meta, ModelJsonContext.Default.ObjectMeta);
}
