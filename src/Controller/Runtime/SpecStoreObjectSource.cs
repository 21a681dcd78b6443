using System.Runtime.CompilerServices;
using System.Text.Json;
using Reconciler.Controller.Store;
using Reconciler.Model.Documents;
using Reconciler.Model.Serialization;

namespace Reconciler.Controller.Runtime;

/// <summary>Adapts the spec store to what the runtime needs: <see cref="IObjectSource{T}"/> of <see cref="PulumiPipeline"/>.</summary>
public sealed class SpecStoreObjectSource(ISpecStore store, string? labelSelector = null) : IObjectSource<PulumiPipeline>
{
    public string Kind => PulumiPipeline.KindName;

    /// <summary>A deep copy through the source-generated serializer, for the informer to hand out.</summary>
    public static PulumiPipeline Copy(PulumiPipeline document) =>
        JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(document, ModelJsonContext.Default.PulumiPipeline), ModelJsonContext.Default.PulumiPipeline)!;

    /// <summary>A status writer for pipelines that skips writes when the status did not change.</summary>
    public StatusWriter<PulumiPipeline, PipelineStatus> StatusWriter() => new(
        document => document.Status,
        (document, status, ct) => store.UpdateStatusAsync(document.Metadata.Name, document.Metadata.ResourceVersion ?? "", status, ct),
        ModelJsonContext.Default.PipelineStatus);

    public async Task<ObjectPage<PulumiPipeline>> ListAsync(string? continueToken, int limit, CancellationToken cancellationToken)
    {
        var page = await store.ListAsync(new ListOptions(limit, continueToken, labelSelector), cancellationToken);
        return new ObjectPage<PulumiPipeline>(page.Items, page.ContinueToken, page.Version);
    }

    public async IAsyncEnumerable<ObjectEvent<PulumiPipeline>> WatchAsync(string? fromVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var changes = store.WatchAsync(fromVersion, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            try
            {
                if (!await changes.MoveNextAsync())
                {
                    yield break;
                }
            }
            catch (Store.WatchExpiredException e)
            {
                // The store's "relist" signal, in the runtime's own terms: the informer relists on it.
                throw new WatchExpiredException(e.Message, e);
            }
            var change = changes.Current;
            var type = change.Type switch
            {
                WatchEventType.Added => ObjectEventType.Added,
                WatchEventType.Deleted => ObjectEventType.Deleted,
                _ => ObjectEventType.Modified,
            };
            yield return new ObjectEvent<PulumiPipeline>(type, change.Object, change.Version);
        }
    }

    public Task<PulumiPipeline?> GetAsync(string name, CancellationToken cancellationToken) => store.GetAsync(name, cancellationToken);

    public Task<PulumiPipeline?> UpdateFinalizersAsync(string name, string resourceVersion, IReadOnlyList<string> finalizers, CancellationToken cancellationToken) =>
        store.UpdateFinalizersAsync(name, resourceVersion, finalizers, cancellationToken);
}
